@testable import ComplianceRules
import XCTest

final class TermMatcherTests: XCTestCase {
  func testFindsOverlappingTerms() {
    let matcher = TermMatcher(patterns: ["最", "最佳", "佳赏味期"].map { Array($0.utf8) })
    let matches = matcher.matches(in: Array("最佳赏味期".utf8))
    XCTAssertEqual(matches.map(\.pattern), [0, 1, 2])
    XCTAssertEqual(matches.map(\.end), [3, 6, 15])
  }

  /// Scanning a second text into the same array keeps the first text's matches and sorts only the new ones (the term
  /// index scans all blocks of a listing into one array).
  func testAppendsAfterEarlierMatches() {
    let matcher = TermMatcher(patterns: ["最", "最佳", "佳赏味期"].map { Array($0.utf8) })
    var matches = matcher.matches(in: Array("最佳赏味期".utf8))
    matcher.matches(in: Array("最".utf8), appendingTo: &matches)
    XCTAssertEqual(matches.map(\.pattern), [0, 1, 2, 0])
    XCTAssertEqual(matches.map(\.end), [3, 6, 15, 3])
  }

  /// A follower's window: a word counts when it starts before the limit, wherever it ends.
  func testOccursStartingBeforeALimit() {
    let matcher = TermMatcher(patterns: ["领先", "第一"].map { Array($0.utf8) })
    let text = Array("全国销量第一".utf8)  // 第一 starts at byte 12
    text.withUnsafeBufferPointer { bytes in
      XCTAssertTrue(matcher.occurs(in: bytes, startingBefore: 13))
      XCTAssertFalse(matcher.occurs(in: bytes, startingBefore: 12))
      XCTAssertFalse(matcher.occurs(in: UnsafeBufferPointer(rebasing: bytes[0..<14]), startingBefore: 13), "cut short")
    }
  }

  /// The matcher against a naive search at every character of random texts mixing ASCII, two-, three- and
  /// four-byte characters: same matches, same order (by end, longest first, then term index).
  func testAgreesWithNaiveSearch() {
    let alphabet = Array("最佳第一不退换概ab7%é😀 \u{0}\u{7F}\u{FFFF}")
    var generator = SystemRandomNumberGenerator()
    let terms = (0..<60).map { _ in String((0..<Int.random(in: 1...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }) }
      + ["最", "最", "😀第一"]
    let patterns = terms.map { Array($0.utf8) }
    let matcher = TermMatcher(patterns: patterns)
    for _ in 0..<200 {
      let text = Array(String((0..<80).map { _ in alphabet.randomElement(using: &generator)! }).utf8)
      var expected: [TermMatcher.Match] = []
      for start in text.indices where text[start] & 0xC0 != 0x80 {
        for (index, pattern) in patterns.enumerated() where text[start...].starts(with: pattern) {
          expected.append(.init(pattern: Int32(index), end: Int32(start + pattern.count)))
        }
      }
      expected.sort { ($0.end, -patterns[Int($0.pattern)].count, $0.pattern) < ($1.end, -patterns[Int($1.pattern)].count, $1.pattern) }
      XCTAssertEqual(matcher.matches(in: text), expected, String(decoding: text, as: UTF8.self))
    }
  }
}
