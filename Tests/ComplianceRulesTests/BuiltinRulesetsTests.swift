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
    let builtin = try Ruleset.load(paths: [BuiltinRulesets.name], validateExamples: false)
    let folder = try Ruleset.load(paths: [Self.rulesets.path], validateExamples: false)
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
    XCTAssertThrowsError(try Ruleset.load(paths: [BuiltinRulesets.name], builtin: [broken], validateExamples: false)) {
      let errors = ($0 as? RulesetErrors)?.errors ?? []
      XCTAssertTrue(errors.contains { $0.file == "rulesets/house.yml" && $0.line == 5 }, "\(errors)")
    }
  }
}
