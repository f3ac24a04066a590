import ComplianceRules
import Foundation
import XCTest

/// `rulesets/README.md` documents every key the ruleset loader accepts. The keys are not copied into this test:
/// they are asked of the loader, which names the keys it expects when it meets an unknown one.
final class RulesetReadmeTests: XCTestCase {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let probe = "zz_probe"
  static let kinds = ["terms", "disclosure", "identifier"]

  /// A loadable rule of `kind`, its lines indented for a `rules:` list, with `extra` lines added.
  static func rule(kind: String, extra: [String] = [], citation: String = "{article: 第一条, grade: C}",
    examples: String = #"{fail: ["<p>x</p>"], pass: ["<p>y</p>"]}"#) -> String {
    let lines = [
      "  - id: probe_rule", "    kind: \(kind)", "    area: advertising", "    severity: info", "    title: Probe",
      "    message: probe", "    citation: \(citation)", "    examples: \(examples)",
    ]
    return (lines + extra.map { "    \($0)" }).joined(separator: "\n")
  }

  /// The keys the loader expects in each context, read from its "unknown key" errors for `yaml`:
  /// context → keys.
  func expectedKeys(_ yaml: String) throws -> [String: Set<String>] {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).yml")
    try yaml.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    var messages: [String] = []
    do {
      _ = try Ruleset.load(paths: [file.path], examples: .none)
    } catch let errors as RulesetErrors {
      messages = errors.errors.map(\.message)
    }
    let pattern = try NSRegularExpression(
      pattern: "unknown key '\(Self.probe)' in (.+) \\(expected one of: ([a-z_, ]+)\\)")
    var found: [String: Set<String>] = [:]
    for message in messages {
      guard let match = pattern.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)) else {
        continue
      }
      let context = String(message[Range(match.range(at: 1), in: message)!])
      let keys = message[Range(match.range(at: 2), in: message)!].components(separatedBy: ", ")
      found[context] = Set(keys)
    }
    return found
  }

  /// The keys of the file, of every rule, of its citation, its examples and an example: written in the README's
  /// YAML sample (as `key:`).
  func testTheSampleShowsEveryCommonKey() throws {
    let readme = try Self.readme()
    let sample = try XCTUnwrap(
      readme.components(separatedBy: "```yaml").dropFirst().first?.components(separatedBy: "```").first)
    let written = Self.words(in: sample.components(separatedBy: "\n").map { $0.components(separatedBy: "#")[0] }
      .joined(separator: "\n"), pattern: #"([a-z_]+):"#)
    // An unknown kind: the rule is then read with the keys every kind shares, and its citation and examples too.
    let yaml = """
      version: 1
      regulation: 法
      effective: "2021-01-01"
      \(Self.probe): 1
      rules:
      \(Self.rule(
        kind: "zz_kind", extra: ["\(Self.probe): 1"], citation: "{article: 第一条, grade: C, \(Self.probe): 1}",
        examples: #"{fail: [{html: "<p>x</p>", \#(Self.probe): 1}], pass: ["<p>y</p>"], \#(Self.probe): []}"#))
      """
    let expected = try expectedKeys(yaml)
    XCTAssertEqual(expected.count, 5, "not every context was probed: \(expected.keys.sorted())")
    let keys = expected.values.reduce(Set()) { $0.union($1) }
    XCTAssertGreaterThan(keys.count, 15)
    XCTAssertEqual(keys.subtracting(written), [], "keys the loader accepts that the README's sample does not show")
  }

  /// Each kind's paragraph names every key of the kind (in backticks), and a key that holds a mapping is written
  /// with exactly the keys the loader accepts inside it (`when: {feed, terms}`, `require: [{name, terms}]`).
  func testEveryKindParagraphNamesItsKeys() throws {
    let readme = try Self.readme()
    let ruleKeys = try expectedRuleKeys()
    let common = try XCTUnwrap(ruleKeys["zz_kind"])
    for kind in Self.kinds {
      let paragraph = try XCTUnwrap(
        readme.components(separatedBy: "\n**\(kind)**").dropFirst().first?.components(separatedBy: "\n\n").first,
        "no paragraph for kind \(kind)")
      let spans = Self.words(in: paragraph, pattern: "`([^`]+)`")
      let named = Set(spans.flatMap { Self.words(in: $0, pattern: "([a-z_]+)") })
      let kindKeys = try XCTUnwrap(ruleKeys[kind]).subtracting(common)
      XCTAssertEqual(kindKeys.subtracting(named), [], "kind \(kind): keys the README does not name")
      for key in kindKeys.sorted() {
        let nested = try expectedKeys(
          "version: 1\nregulation: 法\neffective: \"2021-01-01\"\nrules:\n"
            + Self.rule(kind: kind, extra: ["\(key): {\(Self.probe): 1}"]) + "\n"
            + Self.rule(kind: kind, extra: ["\(key): [{\(Self.probe): 1}]"])
            .replacingOccurrences(of: "probe_rule", with: "probe_list"))
        guard let keys = nested.values.first else { continue }
        let written = spans.first { $0.hasPrefix("\(key): {") || $0.hasPrefix("\(key): [{") }
        XCTAssertNotNil(
          written, "kind \(kind): '\(key)' holds {\(keys.sorted().joined(separator: ", "))}; write it `\(key): {…}`")
        guard let written else { continue }
        let inside = Set(Self.words(in: String(written.drop { $0 != "{" }), pattern: "([a-z_]+)"))
        XCTAssertEqual(inside, keys, "kind \(kind): the keys README shows in `\(written)`")
      }
    }
  }

  /// Every key a rule of each kind accepts, and under `zz_kind` (no kind) those all kinds share: kind → keys.
  func expectedRuleKeys() throws -> [String: Set<String>] {
    var keys: [String: Set<String>] = [:]
    for kind in Self.kinds + ["zz_kind"] {
      let yaml = "version: 1\nregulation: 法\neffective: \"2021-01-01\"\nrules:\n"
        + Self.rule(kind: kind, extra: ["\(Self.probe): 1"])
      keys[kind] = try XCTUnwrap(try expectedKeys(yaml)["rule 'probe_rule'"], "kind \(kind) not probed")
    }
    return keys
  }

  static func readme() throws -> String {
    try String(contentsOf: packageRoot.appendingPathComponent("rulesets/README.md"), encoding: .utf8)
  }

  /// The first group of every match of `pattern` in `text`.
  static func words(in text: String, pattern: String) -> [String] {
    let regex = try! NSRegularExpression(pattern: pattern)
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
      String(text[Range($0.range(at: 1), in: text)!])
    }
  }
}
