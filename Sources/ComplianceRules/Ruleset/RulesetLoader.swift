import Foundation
import ListingParser
import Yams

/// Reads `rulesets/*.yml` into rules: strictly, with every error naming its file and line.
///
/// A ruleset file is one regulation: `version` (this loader reads version 1), `regulation` (the law's name, the
/// default `citation.law`), `effective` (the date the law took effect), optional `url`, and `rules`. Each rule names its
/// `kind` (terms, disclosure, identifier) and that kind's parameters. See rulesets/README.md.
public enum RulesetLoader {
  public static let supportedVersion = 1

  /// A parsed rule, before its word lists are registered.
  struct Parsed {
    var description: RuleDescription
    var make: (inout TermIndex.Builder) throws -> any Rule
    var line: Int
    var file: String
  }

  /// What a ruleset file says about itself.
  public struct FileInfo: Sendable {
    public var path: String
    public var regulation: String
    public var effective: String
    public var version: Int
    public var ruleCount: Int
    /// Compiled into the binary (`BuiltinRulesets`) rather than read from `path`.
    public var isBuiltin = false
  }

  static let fileKeys: Set<String> = ["version", "regulation", "effective", "url", "vocabularies", "goods", "rules"]
  static let commonKeys: Set<String> = [
    "id", "kind", "area", "severity", "title", "message", "citation", "examples", "example_feed",
  ]
  static let kindKeys: [String: Set<String>] = [
    "terms": [
      "terms", "patterns", "triggers", "exceptions", "exception_patterns", "negations", "names", "unless", "unless_anywhere", "categories", "when",
      "goods", "not_goods", "scopes",
    ],
    "disclosure": ["categories", "when", "goods", "not_goods", "require", "exempt", "shown", "scopes"],
    "identifier": ["patterns", "triggers", "feed", "fires_when", "categories", "exempt"],
  ]

  /// A file's YAML tree, or nil with its error.
  ///
  /// With the basic resolver every scalar's tag is `str`: the loader reads scalars by their text (`Node.bool`,
  /// `Node.int` read the text whatever the tag), and Yams hashes every mapping key to find duplicates, which with
  /// the default resolver ran its int, float, bool, null and timestamp regular expressions on each key — a tenth of
  /// start-up.
  static func compose(yaml: String, file: String, errors: inout [RulesetError]) -> Node? {
    do {
      guard let node = try Yams.compose(yaml: yaml, .basic) else {
        errors.append(RulesetError(file: file, line: 0, message: "the file is empty"))
        return nil
      }
      return node
    } catch {
      errors.append(yamlError(error, file: file))
      return nil
    }
  }

  /// Adds the file's `vocabularies` to those of the files loaded with it: every file is read for them before any
  /// rule is, so a rule may use a list another file defines.
  static func readVocabularies(_ root: Node, file: String, into vocabularies: inout Vocabularies, errors: inout [RulesetError]) {
    if let node = root.mapping?["vocabularies"] { vocabularies.read(node, file: file, errors: &errors) }
  }

  /// `^[a-z][a-z0-9_]*$`, without a regular expression: Foundation compiled one for each rule id, a tenth of
  /// start-up.
  static func isSnakeCase(_ name: String) -> Bool {
    let lower = UInt8(ascii: "a")...UInt8(ascii: "z")
    let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
    guard let first = name.utf8.first, lower.contains(first) else { return false }
    return name.utf8.allSatisfy { lower.contains($0) || digits.contains($0) || $0 == UInt8(ascii: "_") }
  }

  /// The entries of a file's mapping of names to definitions (`vocabularies:`, `goods:`) whose names are snake_case
  /// and not defined before (`firstDefinition` says where, or "" when it cannot); the others are errors with
  /// file:line.
  static func namedEntries(
    _ node: Node, kind: String, of what: String, file: String, firstDefinition: (String) -> String?,
    errors: inout [RulesetError]
  ) -> [(name: String, line: Int, value: Node)] {
    guard let mapping = node.mapping else {
      let key = kind == "vocabulary" ? "vocabularies" : kind
      errors.append(RulesetError(file: file, line: node.mark?.line ?? 0, message: "'\(key)' must be a mapping of names to \(what)"))
      return []
    }
    var entries: [(name: String, line: Int, value: Node)] = []
    for (key, value) in mapping {
      let line = key.mark?.line ?? 0
      guard let name = key.string, isSnakeCase(name) else {
        errors.append(RulesetError(file: file, line: line, message: "a \(kind) name must be snake_case: '\(key.string ?? "?")'"))
        continue
      }
      if let first = firstDefinition(name) {
        let at = first.isEmpty ? "" : " (first at \(first))"
        errors.append(RulesetError(file: file, line: line, message: "\(kind) '\(name)' is defined twice\(at)"))
        continue
      }
      entries.append((name, line, value))
    }
    return entries
  }

  /// Adds the file's `goods` (what a listing sells, defined once: see `Goods`) to those of the files loaded with it,
  /// after every file's vocabularies are read: a definition names its words by vocabulary.
  static func readGoods(
    _ root: Node, file: String, vocabularies: Vocabularies, into goods: inout [String: Goods.Spec],
    errors: inout [RulesetError]
  ) {
    guard let node = root.mapping?["goods"] else { return }
    let entries = namedEntries(
      node, kind: "goods", of: "definitions", file: file, firstDefinition: { goods[$0] != nil ? "" : nil },
      errors: &errors)
    for (name, _, value) in entries {
      var fields = YAMLFields(
        value, file: file, context: "goods '\(name)'", allowed: ["categories", "is", "not"], vocabularies: vocabularies)
      var spec = Goods.Spec()
      spec.categories = KindParameters.categories(&fields)
      (spec.isTitle, spec.isShown) = KindParameters.goodsEvidence(&fields, key: "is")
      (spec.notTitle, spec.notShown) = KindParameters.goodsEvidence(&fields, key: "not")
      KindParameters.checkPatterns(spec.isShown.patterns + spec.notShown.patterns, &fields)
      errors += fields.errors
      goods[name] = spec
    }
  }

  /// Parses one file's tree, with the vocabularies and goods of all files loaded together. Errors are collected, not
  /// thrown one at a time.
  static func parse(
    root: Node, file: String, vocabularies: Vocabularies, goods: [String: Goods.Spec] = [:],
    errors: inout [RulesetError]
  ) -> (FileInfo?, [Parsed]) {
    var fields = YAMLFields(root, file: file, context: "the ruleset", allowed: fileKeys, vocabularies: vocabularies)
    let version = fields.int("version")
    if version == nil {
      errors.append(fields.error(at: nil, "the ruleset is missing 'version' (this auditor reads version \(supportedVersion))"))
    } else if version != supportedVersion {
      errors.append(
        fields.error(at: fields.node("version"), "ruleset version \(version!) is not supported (highest: \(supportedVersion))"))
    }
    let regulation = fields.string("regulation", required: true) ?? ""
    let effective = fields.string("effective", required: true) ?? ""
    if !effective.isEmpty, effective.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
      errors.append(fields.error(at: fields.node("effective"), "'effective' must be a date like 2021-04-29"))
    }
    var parsed: [Parsed] = []
    if let rules = fields.node("rules") {
      if let sequence = rules.sequence {
        for ruleNode in sequence {
          if let rule = parseRule(
            ruleNode, file: file, regulation: regulation, vocabularies: vocabularies, goods: goods, errors: &errors)
          {
            parsed.append(rule)
          }
        }
      } else {
        errors.append(fields.error(at: rules, "'rules' must be a list"))
      }
    } else {
      errors.append(fields.error(at: nil, "the ruleset has no 'rules'"))
    }
    errors += fields.errors
    let info = FileInfo(
      path: file, regulation: regulation, effective: effective, version: version ?? 0, ruleCount: parsed.count)
    return (info, parsed)
  }

  static func parseRule(
    _ node: Node, file: String, regulation: String, vocabularies: Vocabularies, goods: [String: Goods.Spec],
    errors: inout [RulesetError]
  ) -> Parsed? {
    let kind = node.mapping?["kind"]?.string ?? ""
    let id = node.mapping?["id"]?.string ?? "?"
    let allowed = commonKeys.union(kindKeys[kind] ?? [])
    var fields = YAMLFields(node, file: file, context: "rule '\(id)'", allowed: allowed, vocabularies: vocabularies)
    defer { errors += fields.errors }
    let line = fields.line
    guard let ruleID = fields.string("id", required: true), !ruleID.isEmpty else { return nil }
    if !isSnakeCase(ruleID) {
      fields.errors.append(fields.error(at: fields.node("id"), "rule id '\(ruleID)' must be snake_case"))
    }
    let kindName = fields.string("kind", required: true) ?? ""
    if !kindName.isEmpty, kindKeys[kindName] == nil {
      fields.errors.append(
        fields.error(at: fields.node("kind"), "unknown kind '\(kindName)' (expected one of: \(kindKeys.keys.sorted().joined(separator: ", ")))"))
    }
    let areaName = fields.string("area", required: true) ?? ""
    let area = Area(rawValue: areaName)
    if area == nil, !areaName.isEmpty {
      fields.errors.append(
        fields.error(at: fields.node("area"), "unknown area '\(areaName)' (expected one of: \(Area.allCases.map(\.rawValue).joined(separator: ", ")))"))
    }
    let title = fields.string("title", required: true) ?? ""
    let message = fields.string("message", required: true) ?? ""
    let citation = parseCitation(&fields, regulation: regulation)
    var severity: Severity? = nil
    if let name = fields.string("severity") {
      severity = Severity(rawValue: name)
      if severity == nil {
        fields.errors.append(fields.error(at: fields.node("severity"), "unknown severity '\(name)' (info, warning, error)"))
      }
    } else if citation?.grade != .unconfirmed {
      fields.errors.append(fields.error(at: nil, "rule '\(ruleID)' is missing 'severity' (only rules graded U default to info)"))
    }
    let exampleFeed = fields.node("example_feed")
    let (failing, passing) = parseExamples(&fields, file: file, defaultFeed: exampleFeed)
    if failing.isEmpty { fields.errors.append(fields.error(at: nil, "rule '\(ruleID)' has no failing example")) }
    if passing.isEmpty { fields.errors.append(fields.error(at: nil, "rule '\(ruleID)' has no passing example")) }
    guard let area, let citation, kindKeys[kindName] != nil, !message.isEmpty, !title.isEmpty else { return nil }
    let description = RuleDescription(
      id: ruleID, area: area, severity: severity ?? .info, title: title, message: message, citation: citation,
      failingExamples: failing, passingExamples: passing, source: "\(file):\(line)")
    guard let make = KindParameters.parse(kind: kindName, description: description, goods: goods, fields: &fields),
      // A rule with a reported error (a bad pattern, say) is not built as well, which would report it twice.
      fields.errors.isEmpty
    else { return nil }
    return Parsed(description: description, make: make, line: line, file: file)
  }

  static func parseCitation(_ fields: inout YAMLFields, regulation: String) -> Citation? {
    guard var citation = fields.nested("citation", allowed: ["law", "article", "grade", "url"]) else {
      fields.errors.append(fields.error(at: nil, "\(fields.context) is missing 'citation' (law, article, grade)"))
      return nil
    }
    let law = citation.string("law") ?? regulation
    let article = citation.string("article", required: true) ?? ""
    let gradeName = citation.string("grade", required: true) ?? ""
    let url = citation.string("url")
    fields.absorb(citation)
    guard let grade = Citation.Grade(rawValue: gradeName) else {
      if !gradeName.isEmpty {
        fields.errors.append(fields.error(at: citation.node("grade"), "citation grade must be C, S or U, not '\(gradeName)'"))
      }
      return nil
    }
    guard !law.isEmpty, !article.isEmpty else { return nil }
    return Citation(law: law, article: article, grade: grade, url: url)
  }

  /// `defaultFeed` is the rule's `example_feed`: the feed fields of every example, under the example's own.
  static func parseExamples(_ fields: inout YAMLFields, file: String, defaultFeed defaultNode: Node?) -> (
    [Example], [Example]
  ) {
    let defaultFeed = defaultNode.flatMap { jsonText($0, fields: &fields) }
    guard var examples = fields.nested("examples", allowed: ["fail", "pass"]) else {
      fields.errors.append(fields.error(at: nil, "\(fields.context) has no 'examples'"))
      return ([], [])
    }
    defer { fields.absorb(examples) }
    func list(_ key: String) -> [Example] {
      guard let node = examples.node(key) else { return [] }
      guard let sequence = node.sequence else {
        examples.errors.append(examples.error(at: node, "'examples.\(key)' must be a list"))
        return []
      }
      return sequence.compactMap { item -> Example? in
        let source = "\(file):\(item.mark?.line ?? 0)"
        if let scalar = item.scalar { return Example(scalar.string, feed: defaultFeed, source: source) }
        var example = YAMLFields(item, file: file, context: "an example", allowed: ["html", "feed"])
        let html = example.string("html") ?? ""
        let feed = example.node("feed").flatMap { jsonText($0, over: defaultNode, fields: &example) }
        examples.absorb(example)
        return Example(html, feed: feed ?? defaultFeed, source: source)
      }
    }
    return (list("fail"), list("pass"))
  }

  /// A YAML mapping as JSON object text, for building example listings through the feed decoder; its fields go
  /// over those of `base` when that is a mapping too.
  static func jsonText(_ node: Node, over base: Node? = nil, fields: inout YAMLFields) -> String? {
    var object = node.mapping != nil ? plain(node) as? [String: Any] : nil
    if let base, base.mapping != nil, let baseObject = plain(base) as? [String: Any] {
      object = object.map { baseObject.merging($0) { $1 } }
    }
    guard let object, let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
      fields.errors.append(fields.error(at: node, "a feed example must be a mapping of feed fields"))
      return nil
    }
    return String(decoding: data, as: UTF8.self)
  }

  private static func plain(_ node: Node) -> Any? {
    switch node {
    case .scalar(let scalar):
      if scalar.style == .plain {
        if let bool = node.bool { return bool }
        // Yams reads numbers with regular expressions; every YAML number starts with one of these.
        if let first = scalar.string.unicodeScalars.first, "0123456789+-.".unicodeScalars.contains(first) {
          if let int = node.int { return int }
          if let double = node.float { return double }
        }
        if scalar.string == "null" || scalar.string == "~" { return NSNull() }
      }
      return scalar.string
    case .sequence(let sequence):
      return sequence.map { plain($0) ?? NSNull() }
    case .mapping(let mapping):
      var object: [String: Any] = [:]
      for (key, value) in mapping {
        if let name = key.string { object[name] = plain(value) ?? NSNull() }
      }
      return object
    case .alias:
      return nil
    }
  }

  /// Example feed fields over the rule's default ones.
  static func merge(_ base: String?, _ overlay: String?) -> String? {
    guard let base else { return overlay }
    guard let overlay else { return base }
    guard let baseObject = try? JSONSerialization.jsonObject(with: Data(base.utf8)) as? [String: Any],
      let overlayObject = try? JSONSerialization.jsonObject(with: Data(overlay.utf8)) as? [String: Any],
      let data = try? JSONSerialization.data(
        withJSONObject: baseObject.merging(overlayObject) { $1 }, options: [.sortedKeys])
    else { return overlay }
    return String(decoding: data, as: UTF8.self)
  }

  static func yamlError(_ error: Error, file: String) -> RulesetError {
    if let yamlError = error as? YamlError {
      switch yamlError {
      case .duplicatedKeysInMapping(let duplicates, let context):
        return RulesetError(
          file: file, line: context.mark.line, message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
      case .scanner(let context, let problem, let mark, _):
        return RulesetError(file: file, line: mark.line, message: "YAML syntax: \(problem) \(context?.text ?? "")")
      case .parser(let context, let problem, let mark, _):
        return RulesetError(file: file, line: mark.line, message: "YAML syntax: \(problem) \(context?.text ?? "")")
      default:
        break
      }
    }
    return RulesetError(file: file, line: 0, message: "YAML: \(error)")
  }
}
