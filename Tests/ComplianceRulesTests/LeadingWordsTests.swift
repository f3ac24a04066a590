@testable import ComplianceRules
import Foundation
import ListingParser
import XCTest

/// A pattern is anchored where the term scan finds the words its matches open with (`Pattern.leadingWords`) instead
/// of searching whole blocks; that is only right if every match starts at one of those words. Checked here for every
/// quoted pattern of the bundled rulesets, against the search, on the annotated corpus's pages and on the rules' own
/// examples.
final class LeadingWordsTests: XCTestCase {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func testOpeningWordsOfEachTopLevelAlternative() throws {
    XCTAssertEqual(try Pattern("国宴(级|同款|用)").leadingWords, ["国宴级", "国宴同款", "国宴用"])
    XCTAssertEqual(try Pattern("不(支持|适用)\\s?无理由退").leadingWords, ["不支持", "不适用"])
    XCTAssertEqual(try Pattern("(行业|全网)的?天花板|天花板级").leadingWords, ["行业", "全网", "天花板级"])
    XCTAssertEqual(try Pattern("(?<!未|没)(拆开|打开)[^。]{0,6}不退").leadingWords, ["拆开", "打开"])
    XCTAssertEqual(try Pattern("(?<=属于|是)(麻醉药品|精神药品)").leadingWords, ["麻醉药品", "精神药品"])
    XCTAssertEqual(try Pattern("治(好|愈)?了?[^。]{0,8}失眠").leadingWords, ["治"], "an optional group ends the words")
    XCTAssertEqual(try Pattern("最后\\s?\\d+\\s?小时").leadingWords, ["最后"])
    XCTAssertEqual(try Pattern("非质量问题?不退").leadingWords, ["非质量问"], "a skippable character ends the words")
    XCTAssertEqual(try Pattern("集+满").leadingWords, ["集"])
    XCTAssertEqual(try Pattern("非(进口|原装)+货").leadingWords, ["非进口", "非原装"])
    XCTAssertEqual(try Pattern("(ＳＣ|JY)\\d{14}").leadingWords, ["sc", "jy"])
    XCTAssertEqual(
      try Pattern("(来源|依据)?统计").leadingWords, ["来源", "依据", "统计"], "an optional opening group, or what follows")
    XCTAssertEqual(try Pattern("(还|尚)?(没|未)(有)?办").leadingWords, ["还", "尚", "没", "未"])
    XCTAssertNil(try Pattern("(来源|依据)?\\d+").leadingWords, "what follows an optional group starts anywhere")
    XCTAssertNil(try Pattern("(来源|依据)?").leadingWords, "a match may be empty")
    XCTAssertNil(try Pattern("统计|\\d+%").leadingWords, "an alternative opening with a class starts anywhere")
    XCTAssertNil(try Pattern("(?<code>\\d{18})").leadingWords)
    XCTAssertNil(try Pattern("(来.|依据)").leadingWords)
    XCTAssertNil(try Pattern("[(]?来源").leadingWords)
    XCTAssertEqual(try Pattern("(?:修复|软化)(?:软骨|血管)").leadingWords, ["修复", "软化"], "a group that only groups")
    XCTAssertNil(try Pattern("(?i:修复)软骨").leadingWords)
  }

  func testAnchoringAtLeadingWordsFindsWhatTheSearchFindsOnTheCorpusAndTheExamples() throws {
    let patterns = try Self.rulesetPatterns()
    XCTAssertGreaterThan(patterns.count, 100)
    XCTAssertGreaterThan(patterns.filter { $0.source.contains("(?:") && $0.leadingWords != nil }.count, 5,
      "patterns opening with a vocabulary are anchored, and checked here")
    let texts = Self.corpusTexts() + Self.exampleTexts()
    XCTAssertGreaterThan(texts.count, 1_000)
    var compared = 0
    var matched = 0
    for pattern in patterns {
      guard let words = pattern.leadingWords else { continue }
      let needles = words.map { Array($0.utf8) }
      let firstBytes = Set(needles.compactMap(\.first))
      for text in texts {
        let bytes = text.bytes
        var starts: [Int] = []
        for start in bytes.indices where firstBytes.contains(bytes[start]) {
          if needles.contains(where: { bytes[start...].starts(with: $0) }) { starts.append(start) }
        }
        let searched = pattern.matches(in: text)
        let anchored = pattern.matches(in: text, startingAt: starts)
        XCTAssertEqual(
          anchored.map { [$0.start, $0.end, $0.groupStart, $0.groupEnd] },
          searched.map { [$0.start, $0.end, $0.groupStart, $0.groupEnd] },
          "\(pattern.source) on \(String(decoding: bytes, as: UTF8.self).prefix(80))")
        compared += 1
        matched += searched.count
      }
    }
    XCTAssertGreaterThan(matched, 100, "the texts hold matches to compare, not only misses")
    XCTAssertGreaterThan(compared, 10_000)
  }

  func testFollowerWordsAndReach() throws {
    let rank = try XCTUnwrap(Pattern.follower(of: "(全国|同类)[^。；，,!！\\n]{0,6}(领先|冠军|第一(?![次批]))"))
    XCTAssertEqual(rank.words, ["领先", "冠军", "第一"])
    XCTAssertEqual(rank.reach, 6 + 4 * 6, "the longest opening word, then six characters of at most four bytes")
    let plain = try XCTUnwrap(Pattern.follower(of: "(全国|全网)[^。]{0,6}最大"))
    XCTAssertEqual(plain.words, ["最大"])
    XCTAssertEqual(try XCTUnwrap(Pattern.follower(of: "非质量问题[^。；\\n]{0,4}(不退|不换)")).reach, 15 + 16)
    XCTAssertEqual(try XCTUnwrap(Pattern.follower(of: "(有效率|好转率)\\s?(达到|高达)")).reach, 9 + 4)
    let pending = try XCTUnwrap(Pattern.follower(of: "(执照|证照)[^。]{0,6}(办理中|(还|尚)?(没|未)(办|拿到))"))
    XCTAssertEqual(pending.words, ["办理中", "还", "尚", "没", "未"], "an alternative opening with an optional group")
    XCTAssertNil(Pattern.follower(of: "(全国|全网)[^。]*第一"), "an unbounded gap reaches anywhere")
    XCTAssertNil(Pattern.follower(of: "(全国|全网)[^。]{0,6}(第一)?"), "an optional follower is not needed")
    XCTAssertNil(Pattern.follower(of: "(全国|全网)[^。]{0,6}\\d"))
    XCTAssertNil(Pattern.follower(of: "(全国|全网)第一|最大"))
  }

  /// A follower is what lets an anchor be skipped unasked: every match the search finds must hold one within reach.
  func testEveryMatchHoldsItsFollowerWithinReach() throws {
    let texts = Self.corpusTexts() + Self.exampleTexts()
    var checked = 0
    for pattern in try Self.rulesetPatterns() {
      guard pattern.leadingWords != nil, let follower = Pattern.follower(of: pattern.source) else { continue }
      let needles = follower.words.map { Array($0.utf8) }
      for text in texts {
        let bytes = text.bytes
        for match in pattern.matches(in: text) {
          let window = match.start...min(match.start + follower.reach, bytes.count)
          let held = window.contains { start in needles.contains { bytes[start...].starts(with: $0) } }
          XCTAssertTrue(held, "\(pattern.source) on \(String(decoding: bytes[match.start..<match.end], as: UTF8.self))")
          checked += 1
        }
      }
    }
    XCTAssertGreaterThan(checked, 20)
  }

  /// Every single-quoted string of the bundled rulesets that compiles as a pattern (patterns, exception patterns,
  /// unless; a quoted term compiles too and is no harm), with the vocabularies it names spliced in as the loader
  /// splices them (`(?:…|…)`).
  static func rulesetPatterns() throws -> [Pattern] {
    let folder = packageRoot.appendingPathComponent("rulesets")
    var sources = Set<String>()
    var vocabularies = Vocabularies()
    var errors: [RulesetError] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".yml") {
      let yaml = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      if let root = RulesetLoader.compose(yaml: yaml, file: file, errors: &errors) {
        RulesetLoader.readVocabularies(root, file: file, into: &vocabularies, errors: &errors)
      }
      sources.formUnion(quoted(yaml, by: "'", doubledQuoteEscapes: true))
    }
    XCTAssertTrue(errors.isEmpty, "\(errors)")
    let spliced = sources.compactMap { try? vocabularies.expand($0, asPattern: true).get().first }
    return Set(spliced).sorted().compactMap { try? Pattern($0) }
  }

  /// The visible and hidden blocks of every page of the annotated corpus, normalised.
  static func corpusTexts() -> [NormalizedText] {
    let corpus = packageRoot.appendingPathComponent("corpus")
    let reader = HTMLReader()
    var texts: [NormalizedText] = []
    let enumerator = FileManager.default.enumerator(atPath: corpus.path)
    while let path = enumerator?.nextObject() as? String {
      guard path.hasSuffix(".html") || path.hasSuffix(".htm"),
        let data = FileManager.default.contents(atPath: corpus.appendingPathComponent(path).path)
      else { continue }
      let document = reader.parse(bytes: [UInt8](data), file: path)
      texts += document.blocks.map { NormalizedText(utf8: $0.utf8) }
    }
    return texts
  }

  /// The rules' examples (double-quoted strings of the rulesets: HTML and feed values), normalised as they are.
  static func exampleTexts() -> [NormalizedText] {
    let folder = packageRoot.appendingPathComponent("rulesets")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".yml") }.flatMap { file -> [NormalizedText] in
      let yaml = (try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)) ?? ""
      return quoted(yaml, by: "\"", doubledQuoteEscapes: false).map { NormalizedText($0) }
    }
  }

  /// The strings between `quote`s, line by line (a quoted YAML scalar in these files never spans lines).
  private static func quoted(_ yaml: String, by quote: Character, doubledQuoteEscapes: Bool) -> [String] {
    var found: [String] = []
    for line in yaml.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
      var current: String?
      var characters = Array(line)[...]
      while let character = characters.popFirst() {
        if var text = current {
          if character == quote {
            if doubledQuoteEscapes, characters.first == quote {
              characters.removeFirst()
              text.append(quote)
              current = text
            } else {
              found.append(text)
              current = nil
            }
          } else if !doubledQuoteEscapes, character == "\\", let next = characters.popFirst() {
            text.append(next)
            current = text
          } else {
            text.append(character)
            current = text
          }
        } else if character == quote {
          current = ""
        }
      }
    }
    return found
  }
}
