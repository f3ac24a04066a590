@testable import ComplianceRules
import XCTest

final class PatternTests: XCTestCase {
  func testLeadingWordsOnlyForAnOpeningGroupOfPlainWords() throws {
    XCTAssertEqual(try Pattern("(原产国|原产地|产地)(/地区)?\\s?([:：|]|\\s)\\s?\\S").leadingWords, ["原产国", "原产地", "产地"])
    XCTAssertEqual(try Pattern("(ＳＣ|JY)\\d{14}").leadingWords, ["sc", "jy"])
    XCTAssertNil(try Pattern("(来源|依据)?统计").leadingWords, "an optional group can be skipped")
    XCTAssertNil(try Pattern("(来源|依据)统计|调查").leadingWords, "a top-level alternative starts elsewhere")
    XCTAssertNil(try Pattern("(?<![0-9])(来源|依据)").leadingWords)
    XCTAssertNil(try Pattern("(来.|依据)").leadingWords)
  }

  func testLongestMatchIsReadFromTheSource() {
    XCTAssertEqual(PatternLength.maximum(of: "(产地|原产地)[:：]\\s?\\S"), 6)
    XCTAssertEqual(PatternLength.maximum(of: "(?<![a-z0-9])(?<code>(sc|jy)\\s?\\d{15,18})(?![\\d])"), 22)
    XCTAssertEqual(PatternLength.maximum(of: "(拆封|开封)[^。；\\n]{0,30}不(支持|适用)"), 35)
    XCTAssertNil(PatternLength.maximum(of: "(开始)[^。]*(结束)"))
    XCTAssertNil(PatternLength.maximum(of: "\\d+"))
    XCTAssertNil(PatternLength.maximum(of: "a{2,}"))
  }

  /// Anchoring at every character gives what the search gives: same matches, none overlapping, lookbehind and
  /// lookahead still seeing past the window, and a match longer than the window still whole.
  func testAnchoredMatchesEqualTheSearch() throws {
    let long = String(repeating: "长", count: 600)
    let cases: [(String, String)] = [
      ("(产地|原产地)[:：]\\s?\\S+", "坚持产地直供。原产地：澳大利亚 产地：新西兰，产地直发"),
      ("(sc|jy)(?<code>\\d{14})(?!\\d)", "许可证 SC12345678901234 与 SC123456789012345 和 x SC11111111111111"),
      ("(执照|信用代码)[^。]{0,6}(办理中)", "营业执照正在办理中。信用代码：办理中"),
      ("(开始)" + "[^。]*" + "(结束)", "开始" + long + "结束"),
    ]
    for (source, sample) in cases {
      let pattern = try Pattern(source)
      let text = NormalizedText(sample)
      let everyCharacter = text.bytes.indices.filter { text.bytes[$0] & 0xC0 != 0x80 }
      let anchored = pattern.matches(in: text, startingAt: everyCharacter)
      let searched = pattern.matches(in: text)
      XCTAssertFalse(searched.isEmpty, source)
      XCTAssertEqual(anchored.map { [$0.start, $0.end, $0.groupStart, $0.groupEnd] }, searched.map { [$0.start, $0.end, $0.groupStart, $0.groupEnd] }, source)
    }
  }
}
