@testable import ComplianceRules
import XCTest

final class NormalizedTextTests: XCTestCase {
  /// Every normalised character maps back to the original character it came from, through runs of ideographs (copied a
  /// run at a time), spaces dropped between them, full-width letters folded and characters outside the fast range.
  func testEveryByteMapsBackToItsCharacter() {
    let original = "一丁 七万ＡＢ 乙〇丂 x 鿿龥\u{200B}㈱"
    let text = NormalizedText(original)
    XCTAssertEqual(text.string(0..<text.bytes.count), "一丁七万ab 乙〇丂 x 鿿龥(株)")
    let utf8 = Array(original.utf8)
    for (index, byte) in text.bytes.enumerated() where byte & 0xC0 != 0x80 {
      let start = Int(text.originalOffsets[index])
      let source = String(String(decoding: utf8[start...], as: UTF8.self).unicodeScalars.first!)
      let produced = String(decoding: text.bytes[index..<(index + Self.length(of: byte))], as: UTF8.self)
      switch produced {
      case " ": XCTAssertEqual(source.trimmingCharacters(in: .whitespaces), "", "a space maps to a space")
      case "a": XCTAssertEqual(source, "Ａ")
      case "b": XCTAssertEqual(source, "Ｂ")
      case "(", "株", ")": XCTAssertEqual(source, "㈱")
      default: XCTAssertEqual(source, produced, "byte \(index)")
      }
    }
  }

  /// On random mixes of ideographs, punctuation, full-width and capital letters, spaces, zero-width characters and
  /// compatibility forms, every normalised character maps to an original character that normalises to text holding
  /// it (a space may also come from whitespace), in order, and the end maps to the end.
  /// A space between a CJK character and a digit goes, as between two CJK characters (`不支持 7 天`); a space
  /// between digits, or next to a Latin letter, stays. The digit's offset still points at the digit.
  func testSpacesBetweenCJKAndDigitsAreDropped() {
    let text = NormalizedText("不支持 7 天无理由，ＳＣ 1064 4010，满 ２ 件 a 1")
    XCTAssertEqual(text.string(0..<text.bytes.count), "不支持7天无理由,sc 1064 4010,满2件 a 1")
    let seven = text.bytes.firstIndex(of: UInt8(ascii: "7"))!
    XCTAssertEqual(Int(text.originalOffsets[seven]), Array("不支持 ".utf8).count)
  }

  func testRandomTextsMapBackInOrder() {
    let alphabet = Array("一丁七中，。：ＡＢaB1 　\t\u{200B}㈱㍿①ﷺ¥é😀")
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      let original = String((0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
      let text = NormalizedText(original)
      let utf8 = Array(original.utf8)
      var previous = 0
      for (index, byte) in text.bytes.enumerated() where byte & 0xC0 != 0x80 {
        let start = Int(text.originalOffsets[index])
        XCTAssertGreaterThanOrEqual(start, previous, original)
        previous = start
        let source = String(String(decoding: utf8[start...], as: UTF8.self).unicodeScalars.first!)
        let produced = String(decoding: text.bytes[index..<(index + Self.length(of: byte))], as: UTF8.self)
        if produced == " " {
          // A space comes from whitespace, or from inside an expansion (ﷺ is four words).
          XCTAssertTrue(
            source.unicodeScalars.first!.properties.isWhitespace || NormalizedText.normalize(source).contains(" "),
            original)
        } else {
          XCTAssertTrue(NormalizedText.normalize(source).contains(produced), "\(original): \(produced) from \(source)")
        }
      }
      XCTAssertEqual(text.originalOffsets.last.map(Int.init), utf8.count, original)
    }
  }

  /// Compatibility forms can make the text longer than the original (ﷺ, one character, is eighteen words' worth):
  /// the normaliser then starts again with more room, and the result is as if it had had the room from the start.
  func testTextThatGrowsIsNormalisedWhole() {
    let expanding = String(repeating: "ﷺ㍿", count: 40)
    let text = NormalizedText("前" + expanding + "后")
    let one = NormalizedText("ﷺ㍿").string(0..<NormalizedText("ﷺ㍿").bytes.count)
    XCTAssertGreaterThan(one.utf8.count, 20)
    XCTAssertEqual(text.string(0..<text.bytes.count), "前" + String(repeating: one, count: 40) + "后")
    XCTAssertEqual(text.originalOffsets.count, text.bytes.count + 1)
    XCTAssertEqual(text.originalOffsets.last, Int32(("前" + expanding + "后").utf8.count))
    XCTAssertEqual(text.originalRange(text.bytes.count - 3, text.bytes.count), (("前" + expanding).utf8.count)..<(("前" + expanding + "后").utf8.count))
  }

  /// The normaliser's table skips the blocks it takes to be unchanged by NFKC and case folding; every scalar in
  /// them must be, and none a space.
  func testBlocksTheTableSkipsAreUnchanged() {
    for block in UnicodeTable.unchangedBlocks {
      for value in block {
        let scalar = Unicode.Scalar(UInt32(value))!
        XCTAssertFalse(scalar.properties.changesWhenNFKCCaseFolded, String(value, radix: 16))
        XCTAssertFalse(scalar.properties.isWhitespace, String(value, radix: 16))
      }
    }
    XCTAssertEqual(UnicodeTable.kind(of: 0x4E00), .unchanged)
    XCTAssertEqual(UnicodeTable.kind(of: 0xFF21), .changes, "full-width Ａ, just outside, still read from ICU")
  }

  private static func length(of lead: UInt8) -> Int {
    lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
  }
}
