@testable import ComplianceRules
import Foundation
import XCTest

/// The coded-rule registry is a hand-kept list: these tests catch a rule written but never registered.
final class CodedRulesTests: XCTestCase {
  static let rulesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/ComplianceRules/Rules")

  /// Every `struct X: CodedRule` declared under `Rules/`, with the file that declares it.
  static func declaredRules() throws -> [(name: String, file: URL)] {
    let declaration = try NSRegularExpression(pattern: #"^\s*(?:public\s+)?struct\s+(\w+)\s*:\s*CodedRule\b"#,
      options: .anchorsMatchLines)
    var found: [(String, URL)] = []
    let files = FileManager.default.enumerator(at: rulesFolder, includingPropertiesForKeys: nil)
    while let file = files?.nextObject() as? URL {
      guard file.pathExtension == "swift" else { continue }
      let text = try String(contentsOf: file, encoding: .utf8)
      for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        found.append((String(text[Range(match.range(at: 1), in: text)!]), file))
      }
    }
    return found
  }

  func testEveryCodedRuleIsRegistered() throws {
    let declared = try Self.declaredRules()
    XCTAssertFalse(declared.isEmpty, "no coded rule found under \(Self.rulesFolder.path)")
    let registered = CodedRules.types.map { String(describing: $0) }
    XCTAssertEqual(Set(declared.map(\.name)), Set(registered))
    XCTAssertEqual(registered.count, Set(registered).count, "a rule is registered twice")
  }

  func testTheRegistryIsSortedByName() {
    let registered = CodedRules.types.map { String(describing: $0) }
    XCTAssertEqual(registered, registered.sorted())
  }

  /// One rule per file, named for it, so a rule is found by its name.
  func testEachCodedRuleHasItsOwnFile() throws {
    for (name, file) in try Self.declaredRules() {
      XCTAssertTrue(name.hasSuffix("Rule"), name)
      XCTAssertEqual(file.lastPathComponent, "\(name).swift")
    }
  }

  func testEveryRegisteredRuleIsInTheRuleSetWithItsOwnDescription() throws {
    let set = try Ruleset.load(paths: [], examples: .none)
    for type in CodedRules.types {
      XCTAssertEqual(set.rule(id: type.description.id)?.description.source, type.description.source)
    }
  }
}
