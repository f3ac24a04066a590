import Foundation
import Yams

/// `auditor.yml`: which rulesets, which rules, which severities, and when to fail. Found in the current folder or
/// given with `--config`; unknown keys and bad values are errors with file:line, reported before any input is read.
///
/// ```yaml
/// version: 1
/// rulesets: [builtin, house-rules.yml]    # relative to this file; builtin: the rulesets compiled in
/// disable: [returns_promise_missing]
/// enable: []                              # when set, only these rules run
/// severity: {uscc_checksum: error}
/// fail-on: warning
/// baseline: auditor-baseline.json
/// ```
public struct AuditConfiguration: Sendable, Equatable {
  public var file: String?
  public var rulesets: [String] = []
  public var enable: [String] = []
  public var disable: [String] = []
  public var severity: [String: Severity] = [:]
  public var failOn: String?
  public var baseline: String?

  public init() {}

  public static let fileName = "auditor.yml"
  static let keys: Set<String> = ["version", "rulesets", "enable", "disable", "severity", "fail-on", "baseline"]

  /// Reads a configuration file. Throws `RulesetErrors` with every problem.
  public static func load(path: String) throws -> AuditConfiguration {
    guard let data = FileManager.default.contents(atPath: path), let yaml = String(data: data, encoding: .utf8) else {
      throw RulesetErrors([RulesetError(file: path, line: 0, message: "cannot read the configuration file")])
    }
    let root: Node
    do {
      root = try Yams.compose(yaml: yaml) ?? .mapping([:])
    } catch {
      throw RulesetErrors([RulesetLoader.yamlError(error, file: path)])
    }
    var fields = YAMLFields(root, file: path, context: "the configuration", allowed: keys)
    var config = AuditConfiguration()
    config.file = path
    if let version = fields.int("version"), version != 1 {
      fields.errors.append(fields.error(at: fields.node("version"), "configuration version \(version) is not supported (highest: 1)"))
    }
    let base = (path as NSString).deletingLastPathComponent
    func relative(_ value: String) -> String {
      value == BuiltinRulesets.name || value.hasPrefix("/") || base.isEmpty
        ? value : (base as NSString).appendingPathComponent(value)
    }
    config.rulesets = fields.strings("rulesets").map(relative)
    config.enable = fields.strings("enable")
    config.disable = fields.strings("disable")
    if let failOn = fields.string("fail-on") {
      if ["error", "warning", "info", "never"].contains(failOn) {
        config.failOn = failOn
      } else {
        fields.errors.append(fields.error(at: fields.node("fail-on"), "fail-on must be error, warning, info or never, not '\(failOn)'"))
      }
    }
    config.baseline = fields.string("baseline").map(relative)
    if let node = fields.node("severity") {
      if let mapping = node.mapping {
        for (key, value) in mapping {
          guard let id = key.string, let name = value.string, let level = Severity(rawValue: name) else {
            fields.errors.append(fields.error(at: value, "severity overrides map rule ids to info, warning or error"))
            continue
          }
          config.severity[id] = level
        }
      } else {
        fields.errors.append(fields.error(at: node, "'severity' must map rule ids to info, warning or error"))
      }
    }
    if !fields.errors.isEmpty { throw RulesetErrors(fields.errors) }
    return config
  }

  /// Rule ids the configuration names that no loaded rule has: a typo would otherwise silently do nothing.
  public func unknownRuleIDs(in ruleSet: Ruleset) -> [RulesetError] {
    let known = Set(ruleSet.rules.map(\.description.id))
    let named = enable + disable + Array(severity.keys)
    return Set(named).subtracting(known).sorted().map {
      RulesetError(file: file ?? Self.fileName, line: 0, message: "unknown rule id '\($0)'")
    }
  }

  public func isEnabled(_ rule: RuleDescription) -> Bool {
    (enable.isEmpty || enable.contains(rule.id)) && !disable.contains(rule.id)
  }
}
