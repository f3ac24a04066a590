@testable import ComplianceRules
import ListingParser
import XCTest

final class PatternTests: XCTestCase {
  func testLeadingWordsOfAnOpeningGroupOfPlainWords() throws {
    XCTAssertEqual(try Pattern("(原产国|原产地|产地)(/地区)?\\s?([:：|]|\\s)\\s?\\S").leadingWords, ["原产国", "原产地", "产地"])
    XCTAssertEqual(try Pattern("(ＳＣ|JY)\\d{14}").leadingWords, ["sc", "jy"])
    XCTAssertEqual(try Pattern("(来源|依据)统计|调查").leadingWords, ["来源", "依据", "调查"], "each alternative's own")
    XCTAssertEqual(try Pattern("(?<![0-9])(来源|依据)").leadingWords, ["来源", "依据"], "lookbehind consumes nothing")
    XCTAssertNil(try Pattern("(来.|依据)").leadingWords)
  }

  /// Anchoring at every character gives what the search gives: same matches, none overlapping, lookbehind and
  /// lookahead seeing the text around the anchor, and a long match still whole.
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

  /// A pattern whose opening words hold none of its triggers is anchored where the term scan finds those words,
  /// and finds what searching the block finds: every start, none inside an earlier match, several per block.
  func testPatternAnchoredAtOpeningWordsWithoutTriggersEqualsTheSearch() throws {
    let source = "(全国|全网|行业|同类)[^。，]{0,6}(领先|第一(?![次时]))"
    var builder = TermIndex.Builder()
    let patterns = try TriggeredPatterns([source], triggers: ["领先", "第一"], index: &builder)
    XCTAssertNil(patterns.anchors[0], "no opening word holds a trigger")
    XCTAssertNotNil(patterns.leadingWordSets[0])
    let title = "全国全网销量第一。第一次下单，行业领先的同类产品第一时间发货，全网同类第一"
    let context = ListingContext(
      listing: Listing(id: "a", title: title), page: nil, description: nil, index: builder.build())
    var found: [[Int]] = []
    patterns.forEachMatch(in: context) { block, match in
      found.append([block, match.start, match.end])
      return true
    }
    let block = try XCTUnwrap(context.blocks.firstIndex { $0.scope == .feedTitle })
    let searched = try Pattern(source).matches(in: context.normalized[block]).map { [block, $0.start, $0.end] }
    XCTAssertEqual(searched.count, 3)
    XCTAssertEqual(found, searched)
  }

  /// Offsets are UTF-8 offsets into the normalised text, the `code` group is reported, and matching is
  /// case-insensitive whatever the text.
  func testMatchesAreUTF8OffsetsWithTheCodeGroup() throws {
    let pattern = try Pattern("(统一社会信用代码|信用代码)[:：]?\\s?(?<code>[0-9a-z]{18})")
    let text = NormalizedText("营业执照 统一社会信用代码：91350100M000100Y43 其他")
    let found = try XCTUnwrap(pattern.matches(in: text).first)
    let code = String(decoding: text.bytes[found.groupStart..<found.groupEnd], as: UTF8.self)
    XCTAssertEqual(code, "91350100m000100y43")
    XCTAssertEqual(String(decoding: text.bytes[found.start..<found.groupStart], as: UTF8.self), "统一社会信用代码:")
    XCTAssertTrue(pattern.occurs(in: text))
    XCTAssertFalse(pattern.occurs(in: NormalizedText("信用代码：见客服")))
  }

  /// Only a capital letter outside an escape needs ICU's case-insensitive mode; either way a pattern matches the
  /// case-folded text as written.
  /// `covers` searches a window around the word and agrees with a search of the whole text wherever the covering
  /// phrase lies within reach; windows that start or end inside a character are widened to whole characters.
  func testCoversAgreesWithTheWholeTextSearchAroundTheWord() throws {
    let pattern = try Pattern("最好\\s?(\\d|冷藏)")
    let filler = String(repeating: "坚果颗颗饱满，", count: 40)
    let text = NormalizedText(filler + "开封后请冷藏，最好3天内吃完。" + filler + "我们最好的坚果")
    let bytes = text.bytes
    let advice = try XCTUnwrap(bytes.firstRange(of: Array("最好3".utf8)))
    let claim = try XCTUnwrap(bytes.lastRange(of: Array("最好".utf8)))
    let word = advice.lowerBound..<(advice.lowerBound + Array("最好".utf8).count)
    for reach in [1, 2, 7, 120] {
      XCTAssertTrue(pattern.covers(word.lowerBound, word.upperBound, in: text, reach: reach), "reach \(reach)")
    }
    // The phrase must lie inside the window: with no reach, the 3 after 最好 is out of sight.
    XCTAssertFalse(pattern.covers(word.lowerBound, word.upperBound, in: text, reach: 0))
    XCTAssertFalse(pattern.covers(claim.lowerBound, claim.upperBound, in: text))
    // The word 坚果 next to the advice is not covered by it.
    let nut = try XCTUnwrap(bytes[advice.upperBound...].firstRange(of: Array("坚果".utf8)))
    XCTAssertFalse(pattern.covers(nut.lowerBound, nut.upperBound, in: text))
    let whole = pattern.matches(in: text)
    XCTAssertEqual(whole.count, 1)
    XCTAssertEqual(whole.first?.start, word.lowerBound)
  }

  func testCapitalsInThePatternStillMatchTheFoldedText() throws {
    XCTAssertFalse(Pattern.hasCapitals("(?<![a-z0-9])(sc|jy)\\s?\\S\\D\\W(?<code>\\d{14})"))
    XCTAssertTrue(Pattern.hasCapitals("SC\\d{14}"))
    XCTAssertTrue(Pattern.hasCapitals("[A-Z]{2}"))
    XCTAssertTrue(Pattern.hasCapitals("Ü"))
    XCTAssertTrue(Pattern.hasCapitals("\\p{Lu}"), "the property name keeps the mode: safe, if slower")
    let text = NormalizedText("许可证 SC12345678901234，ÜBER 空格 ：x")
    for source in ["SC\\d{14}", "sc\\d{14}", "(?<![A-Z])Sc\\d{14}", "[A-Z]{2}\\d{14}", "über", "ÜBER", "空格\\s?[:：]\\S"] {
      XCTAssertTrue(try Pattern(source).occurs(in: text), source)
    }
    XCTAssertFalse(try Pattern("\\S{3}\\d").occurs(in: NormalizedText("ab 1")), "\\S stays not-a-space")
  }

  func testABadPatternSaysWhatICUFoundAndWhere() {
    XCTAssertThrowsError(try Pattern("(未闭合")) { error in
      XCTAssertTrue("\(error)".contains("U_REGEX_MISMATCHED_PAREN"), "\(error)")
    }
  }
}
