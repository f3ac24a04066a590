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

  /// Codes are settled (upper case, no spaces or hyphens) byte by byte when they are ASCII: the same as the Unicode
  /// reading on random mixes of letters, digits, separators and a few non-ASCII characters.
  func testSettledCodesMatchTheUnicodeReading() {
    let alphabet = Array("0123456789abcxyzABC -_/ßé中\r\n")
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      let code = String((0..<Int.random(in: 0...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
      XCTAssertEqual(IdentifierKind.settled(code), code.uppercased().filter { $0 != " " && $0 != "-" }, code)
    }
    XCTAssertEqual(IdentifierKind.settled("sc 1031-1182 821824"), "SC10311182821824")
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

/// The byte-level USCC checks against the Character-level reading of GB 32100 they replaced, on random codes mixing
/// the alphabet, lower case, the excluded letters, punctuation and non-ASCII characters.
final class CheckDigitsDifferentialTests: XCTestCase {
  func testByteChecksAgreeWithTheCharacterReading() {
    let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    func referenceValid(_ code: String) -> Bool {
      let chars = Array(code.uppercased())
      guard chars.count == 18 else { return false }
      var sum = 0
      for index in 0..<17 {
        guard let value = alphabet.firstIndex(of: chars[index]) else { return false }
        sum += value * weights[index]
      }
      guard alphabet.contains(chars[17]) else { return false }
      return alphabet[(31 - sum % 31) % 31] == chars[17]
    }
    func referenceShape(_ code: String) -> Bool {
      let chars = Array(code.uppercased())
      guard chars.count == 18, "123456789ANY".contains(chars[0]), chars[1].isASCII, chars[1] != "0",
        chars[2..<8].allSatisfy({ $0.isASCII && $0.isNumber })
      else { return false }
      return chars[0..<17].allSatisfy { alphabet.contains($0) } && chars[17].isASCII
        && (chars[17].isLetter || chars[17].isNumber)
    }
    let symbols = Array("0123456789ABCDEFGHJKLMNPQRTUWXYabcdefghjkqrxyIOSVZiosvz-_ 中１")
    var generator = SystemRandomNumberGenerator()
    var valid = 0
    for round in 0..<20_000 {
      var code = String((0..<Int.random(in: 17...19, using: &generator)).map { _ in symbols.randomElement(using: &generator)! })
      if round % 2 == 0 {
        // Half the codes get a well-formed body and the right check character, so validity is exercised too.
        let body = (0..<17).map { index in index < 8 && index > 1 ? alphabet[Int.random(in: 0...9)] : alphabet.randomElement()! }
        let sum = zip(body, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        code = String(body) + String(alphabet[(31 - sum % 31) % 31])
        if round % 4 == 0 { code = code.lowercased() }
      }
      XCTAssertEqual(CheckDigits.isValidUSCC(code), referenceValid(code), code)
      XCTAssertEqual(CheckDigits.looksLikeUSCC(code), referenceShape(code), code)
      if referenceValid(code) { valid += 1 }
    }
    XCTAssertGreaterThan(valid, 1_000, "the generator makes valid codes")
  }
}
