@testable import ListingParser
import XCTest

final class CharsetDecoderTests: XCTestCase {
  /// The UTF-8 check (which reads runs of three-byte characters four and one at a time) agrees with the standard library's
  /// validation on random texts built from the bytes where the two could disagree: overlong E0 and surrogate ED
  /// leads, truncated sequences at the end, stray continuation bytes, four-byte leads up to F4 and beyond.
  func testUTF8CheckAgreesWithTheStandardLibrary() {
    let pieces: [[UInt8]] = [
      Array("中文说明".utf8), Array("一丁".utf8), Array("ab".utf8), [0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80],
      [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBC, 0x9A], [0xE4, 0xB8], [0x80], [0xC2, 0xA0], [0xC0, 0xAF],
      [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE5, 0x41, 0x80],
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 0...16, using: &generator) {
        bytes += pieces.randomElement(using: &generator)!
      }
      let expected = String(validating: bytes, as: UTF8.self) != nil
      XCTAssertEqual(CharsetDecoder.isValidUTF8(bytes), expected, "\(bytes.map { String($0, radix: 16) })")
    }
  }

  func testBinarySniffLooksForNULsInTheFirst4KiBAndControlsInTheFirst8KiB() {
    let text = Array(repeating: UInt8(ascii: "a"), count: 9_000)
    XCTAssertNil(PageFile.binaryReason(text))
    var early = text
    early[4_095] = 0
    XCTAssertNotNil(PageFile.binaryReason(early), "a NUL in the first 4 KiB")
    var late = text
    late[4_096] = 0
    XCTAssertNil(PageFile.binaryReason(late), "one NUL past 4 KiB is one control among 8 KiB")
    var controls = text
    for index in stride(from: 0, to: 8_192, by: 8) { controls[index] = 0x01 }
    XCTAssertNotNil(PageFile.binaryReason(controls), "more than a tenth of the sample is control bytes")
    var lines = text
    for index in stride(from: 0, to: 8_192, by: 2) { lines[index] = 0x0A }
    XCTAssertNil(PageFile.binaryReason(lines), "line breaks and tabs are text")
  }
}
