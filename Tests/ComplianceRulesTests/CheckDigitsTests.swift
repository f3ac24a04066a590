@testable import ComplianceRules
import XCTest

final class CheckDigitsTests: XCTestCase {
  func testUSCCWorkedExamplesFromTheStandard() {
    XCTAssertTrue(CheckDigits.isValidUSCC("9135052155323005XL"))
    XCTAssertTrue(CheckDigits.isValidUSCC("9135052155323005xl"), "lower case is the same code")
    XCTAssertFalse(CheckDigits.isValidUSCC("91350100M000100Y4Z"), "the standard's own example fails its check")
    XCTAssertTrue(CheckDigits.isValidUSCC("91350100MA00000230"), "remainder 0 needs the outer mod 31")
    XCTAssertFalse(CheckDigits.isValidUSCC("9135052155323005X"), "17 characters")
    XCTAssertFalse(CheckDigits.isValidUSCC("9135052155323005XI"), "I is not in the alphabet")
  }

  func testMod11_10() {
    XCTAssertTrue(CheckDigits.isValidMod11_10("330106000129004"))
    XCTAssertTrue(CheckDigits.isValidMod11_10("12336098200173"))
    XCTAssertFalse(CheckDigits.isValidMod11_10("12345678901234"))
  }

  func testNormalizationMapsBackToTheOriginal() {
    let text = NormalizedText("ＳＣ 概 不\u{200B}退换ABC")
    XCTAssertEqual(text.string(0..<text.bytes.count), "sc 概不退换abc")
    let start = text.bytes.count - "退换abc".utf8.count
    let range = text.originalRange(start, start + "退换".utf8.count)
    let original = Array("ＳＣ 概 不\u{200B}退换ABC".utf8)
    XCTAssertEqual(String(decoding: original[range], as: UTF8.self), "退换")
  }
}
