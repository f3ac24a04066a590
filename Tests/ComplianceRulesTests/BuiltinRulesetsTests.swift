@testable import ComplianceRules
import Foundation
import XCTest

/// The rulesets compiled into the binary are `rulesets/*.yml` as they are, and load as if read from there.
final class BuiltinRulesetsTests: XCTestCase {
  static let rulesets = RuleExamplesTests.packageRoot.appendingPathComponent("rulesets")

  /// Every YAML file, byte for byte, and no other: the build plugin regenerates the embedded copy from the folder.
  func testTheEmbeddedFilesAreTheRulesetsFolder() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.rulesets.path).filter { $0.hasSuffix(".yml") }
    XCTAssertEqual(BuiltinRulesets.files.map(\.name), names.sorted())
    for file in BuiltinRulesets.files {
      let onDisk = try String(contentsOf: Self.rulesets.appendingPathComponent(file.name), encoding: .utf8)
      XCTAssertTrue(file.yaml == onDisk, "\(file.name) differs from rulesets/\(file.name): rebuild")
    }
  }

  func testBuiltinLoadsTheSameRulesAsTheFolder() throws {
    let builtin = try Ruleset.load(paths: [BuiltinRulesets.name], examples: .none)
    let folder = try Ruleset.load(paths: [Self.rulesets.path], examples: .none)
    XCTAssertEqual(builtin.rules.map(\.description.id), folder.rules.map(\.description.id))
    XCTAssertEqual(builtin.files.map(\.path), BuiltinRulesets.files.map { "rulesets/\($0.name)" })
    XCTAssertTrue(builtin.files.allSatisfy(\.isBuiltin))
    XCTAssertFalse(folder.files.contains(where: \.isBuiltin))
    let source = try XCTUnwrap(builtin.rule(id: "ad_absolute_terms")?.description.source)
    XCTAssertTrue(source.hasPrefix("rulesets/advertising-law.yml:"), source)
  }

  /// An error in a built-in rule points at the file in `rulesets/` to fix, with its line.
  func testAnErrorInABuiltinRulesetNamesItsFileAndLine() {
    let broken = BuiltinRulesets.File(
      name: "house.yml", yaml: "version: 1\nregulation: 店规\neffective: \"2024-01-01\"\nrules:\n  - id: Bad-Id\n")
    XCTAssertThrowsError(try Ruleset.load(paths: [BuiltinRulesets.name], builtin: [broken], examples: .none)) {
      let errors = ($0 as? RulesetErrors)?.errors ?? []
      XCTAssertTrue(errors.contains { $0.file == "rulesets/house.yml" && $0.line == 5 }, "\(errors)")
    }
  }

  /// A check run trusts the examples of what is compiled in (the test suite and `test-rules` run them) and still runs
  /// those of any other ruleset file, before any input is read; a file with a built-in file's text counts as built in.
  func testOnlyRulesFromOtherFilesRunTheirExamplesWhenCompiledInOnesAreTrusted() throws {
    let yaml = """
      version: 1
      regulation: 店规
      effective: "2024-01-01"
      rules:
        - id: house_absolute
          kind: terms
          area: advertising
          severity: warning
          title: House Absolute
          message: "「{evidence}」"
          citation: {article: 第一条, grade: C}
          terms: [最佳]
          examples:
            fail: ["<p>没有绝对化用语</p>"]
            pass: ["<p>普通商品</p>"]
      """
    let misbehaving = BuiltinRulesets.File(name: "house.yml", yaml: yaml)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("copy.yml")
    try yaml.write(to: copy, atomically: true, encoding: .utf8)
    let changed = folder.appendingPathComponent("changed.yml")
    try (yaml + "\n# edited\n").write(to: changed, atomically: true, encoding: .utf8)

    func load(_ paths: [String], examples: Ruleset.ExampleCheck) throws -> Ruleset {
      try Ruleset.load(paths: paths, builtin: [misbehaving], examples: examples)
    }
    XCTAssertNoThrow(try load([BuiltinRulesets.name], examples: .userFiles))
    XCTAssertNoThrow(try load([copy.path], examples: .userFiles))
    XCTAssertThrowsError(try load([BuiltinRulesets.name], examples: .all))
    XCTAssertThrowsError(try load([changed.path], examples: .userFiles)) {
      let errors = ($0 as? RulesetErrors)?.errors ?? []
      XCTAssertEqual(errors.map(\.file), [changed.path])
      XCTAssertTrue(errors.first?.message.contains("failing example of 'house_absolute' does not fire") ?? false, "\(errors)")
    }
  }
}
