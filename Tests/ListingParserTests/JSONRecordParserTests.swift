import Foundation
import XCTest

@testable import ListingParser

/// `JSONRecordParser` must give what JSONSerialization gives, value for value and failure for failure: the feed's
/// issues and the rules' inputs depend on it. Hand-picked cases first, then seeded random and mutated records.
final class JSONRecordParserTests: XCTestCase {
  func testReadsAFeedRecordAsJSONSerializationDoes() {
    assertSame(
      #"{"id": "L1", "title": "新鲜 \"坚果\" 礼盒", "price": 263.2, "original_price": 316, "seller": {"name": "某某\u4E2D店", "license_no": null}, "#
        + #""group_tiers": [{"min_people": 3, "price": 236.9}, {"min_people": 10, "price": 210.6}], "cross_border": true}"#)
  }

  func testEscapesAndSurrogatePairs() {
    for text in [
      #""\ud83d\ude00 \uD83D\uDE00 \u00e9 \u0000 \/ \b\f\n\r\t \\ \"""#, #""😀 中 é""#, #""\uD83D""#, #""\uD83Dx""#,
      #""\uD83D\u0041""#, #""\uDE00""#, #""\u12""#, #""\u12G4""#, #""\x""#, "\"\u{1}\"", "\"a\tb\"", #""\"#,
      "\"\u{FEFF}bom\"", "\"\u{FEFF}\u{FEFF}two\"", "\"a\u{FEFF}\"", "\"\\n\u{FEFF}after\"", "\"\u{FEFF}\"",
      #""\uFEFF""#, #""\uFEFFx""#, "{\"\u{FEFF}id\": 1}",
    ] {
      assertSame(text)
    }
  }

  func testNumbersBecomeTheSameNSNumbers() {
    for text in [
      "0", "-0", "7", "-7", "19.9", "-19.90", "1e2", "1E2", "1e+2", "1.5e-3", "12345678901234567", "99999999999999999",
      "123456789012345678", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
      "-9223372036854775809", "0.1234567890123456789", "1e309", "-1e309", "1e-400", "01", "-01", "1.", ".5", "-",
      "1e", "1e+", "+1", "0x10", "1.2.3", "1e5e5", "2.5E-3", "100000000000000000000000000000",
    ] {
      assertSame(text)
      assertSame("[\(text)]")
      assertSame(#"{"price": \#(text)}"#)
    }
  }

  func testStructure() {
    for text in [
      "", " ", "{}", "[]", "[1,]", #"{"a":1,}"#, "[,]", "[1,,2]", #"{"a":1 "b":2}"#, #"{"a" 1}"#, #"{a:1}"#,
      #"{"a":1,"a":2}"#, #"{"a":{"b":[true,false,null]}}"#, "true", "tru", "nul", "falsey", "[1] x", "[1]\n\t ",
      #"{"a":1}}"#, "[[[]]]", "{\"é\":1,\"e\u{301}\":2}", "\u{FEFF}{}", "{\u{0}}", "[1\u{0}]",
    ] {
      assertSame(text)
    }
    assertSame(String(repeating: "[", count: 512) + String(repeating: "]", count: 512))
    assertSame(String(repeating: "[", count: 513) + String(repeating: "]", count: 513))
    assertSame(String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513))
  }

  /// Random texts from JSON-ish pieces, and well-formed records with a few bytes changed: both parsers must agree on
  /// every one. Seeded, so a failure names the case to rerun.
  func testAgreesWithJSONSerializationOnRandomAndMutatedRecords() {
    var random = SplitMix64(seed: 19)
    for _ in 0..<6_000 {
      var text = ""
      for _ in 0..<random.below(24) { text += Self.pieces[random.below(Self.pieces.count)] }
      assertSame(text)
    }
    for _ in 0..<6_000 {
      var bytes = Array(Self.record(&random).utf8)
      for _ in 0..<random.below(4) {
        let at = random.below(bytes.count)
        switch random.below(3) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(Self.mutationBytes[random.below(Self.mutationBytes.count)], at: at)
        default: bytes[at] = Self.mutationBytes[random.below(Self.mutationBytes.count)]
        }
      }
      // The parser's input is valid UTF-8 (JSONRecord decodes anything else first).
      assertSame(String(decoding: bytes, as: UTF8.self))
    }
  }

  static let pieces = [
    "{", "}", "[", "]", ",", ":", " ", "\t", "\n", "\"", "\"id\"", "\"title\":", "\"中文\"", "\"a\\\"b\"", "\\u4E2D",
    "\\uD83D", "\\uDE00", "\\uDC00", "\\", "\\n", "\\x", "true", "false", "null", "tru", "0", "-", "1", "-0", "01",
    "19.9", ".", "e", "E+", "1e309", "12345678901234567890", "-9223372036854775809", "😀", "\u{FEFF}", "\u{1}",
  ]

  static let mutationBytes: [UInt8] = Array("{}[],:\"\\ -.0123456789eEtfnu\t\n".utf8) + [0x00, 0x7F, 0xE4]

  static func record(_ random: inout SplitMix64) -> String {
    let titles = ["新鲜坚果礼盒", #"带 \"引号\" 的\u4E2D标题"#, "😀 \\uD83D\\uDE00", "", "  "]
    let numbers = ["19.9", "0", "-5", "1e309", "263.20", "12345678901234567890", "\"¥19.9\"", "true", "null"]
    var fields = [
      #""id": \#(random.below(2) == 0 ? "\"L\(random.below(1000))\"" : String(random.below(100_000)))"#,
      #""title": "\#(titles[random.below(titles.count)])""#,
      #""price": \#(numbers[random.below(numbers.count)])"#,
      #""seller": {"name": "某某店", "license_no": \#(numbers[random.below(numbers.count)])}"#,
      #""group_tiers": [{"min_people": 3, "price": \#(numbers[random.below(numbers.count)])}, {"min_people": 10}]"#,
      #""cross_border": \#(numbers[random.below(numbers.count)])"#,
      #""id": "duplicate""#,
    ]
    fields.shuffle(using: &random)
    return "{" + fields.prefix(1 + random.below(fields.count)).joined(separator: random.below(2) == 0 ? ", " : ",") + "}"
  }

  private func assertSame(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
    let bytes = Array(text.utf8)
    let expected = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    let actual = JSONRecordParser.parse(bytes)
    switch (expected, actual) {
    case (nil, nil): return
    case (let expected?, let actual?):
      if let difference = Self.difference(expected, actual) {
        XCTFail("\(text.debugDescription): \(difference)", file: file, line: line)
      }
    default:
      XCTFail(
        "\(text.debugDescription): JSONSerialization gives \(String(describing: expected)), the parser "
          + "\(String(describing: actual))", file: file, line: line)
    }
  }

  /// Where two parsed values differ, or nil: same types (NSNumber's Objective-C type and class too), same values.
  static func difference(_ expected: Any, _ actual: Any) -> String? {
    switch (expected, actual) {
    case (let left as String, let right as String):
      return Array(left.unicodeScalars) == Array(right.unicodeScalars) ? nil : "\(left.debugDescription) ≠ \(right.debugDescription)"
    case (let left as NSNumber, let right as NSNumber):
      let same =
        String(cString: left.objCType) == String(cString: right.objCType) && type(of: left) == type(of: right)
        && left.stringValue == right.stringValue && left.doubleValue.bitPattern == right.doubleValue.bitPattern
      return same ? nil : "\(left) (\(String(cString: left.objCType))) ≠ \(right) (\(String(cString: right.objCType)))"
    case (is NSNull, is NSNull):
      return nil
    case (let left as [Any], let right as [Any]):
      guard left.count == right.count else { return "arrays of \(left.count) and \(right.count)" }
      return zip(left, right).lazy.compactMap { difference($0, $1) }.first
    case (let left as [String: Any], let right as [String: Any]):
      guard Set(left.keys) == Set(right.keys) else { return "keys \(left.keys.sorted()) ≠ \(right.keys.sorted())" }
      return left.keys.sorted().lazy.compactMap { key in difference(left[key]!, right[key]!).map { "\(key): \($0)" } }
        .first
    default:
      return "\(type(of: expected)) ≠ \(type(of: actual))"
    }
  }
}

/// A small seeded generator, so a failing case is the same on every run.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
}
