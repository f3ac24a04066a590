@testable import ComplianceRules
import Foundation
import XCTest

/// Ruleset files are strict: every mistake is an error naming file and line, found before any input is read.
final class RulesetLoaderTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulesets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

  static let validRule = """
    version: 1
    regulation: 广告法
    effective: "2021-04-29"
    rules:
      - id: test_absolute
        kind: terms
        area: advertising
        severity: error
        title: Test Absolute
        message: "「{evidence}」是绝对化用语"
        citation: {article: 第九条, grade: C}
        terms: [最佳]
        examples:
          fail: ["<p>最佳选择</p>"]
          pass: ["<p>最佳赏味期</p>"]
    """

  /// Loads `yaml` as a ruleset file and returns the errors (empty when it loads).
  func errors(_ yaml: String) -> [RulesetError] {
    let file = folder.appendingPathComponent("test.yml")
    try! yaml.write(to: file, atomically: true, encoding: .utf8)
    do {
      _ = try Ruleset.load(paths: [file.path], examples: .none)
      return []
    } catch let errors as RulesetErrors {
      return errors.errors
    } catch {
      XCTFail("unexpected error \(error)")
      return []
    }
  }

  func testTheShippedRulesetsLoad() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let set = try Ruleset.load(paths: [root.appendingPathComponent("rulesets").path], examples: .none)
    XCTAssertGreaterThanOrEqual(set.rules.count, 30)
    XCTAssertGreaterThanOrEqual(set.files.count, 6)
  }

  func testAValidRulesetLoads() {
    XCTAssertEqual(errors(Self.validRule), [])
  }

  func testUnknownKeyNamesTheLine() {
    let yaml = Self.validRule.replacingOccurrences(of: "    terms: [最佳]", with: "    terms: [最佳]\n    term: [最好]")
    let found = errors(yaml)
    XCTAssertEqual(found.count, 1)
    XCTAssertEqual(found.first?.line, 13)
    XCTAssertTrue(found.first?.message.contains("unknown key 'term'") ?? false, "\(found)")
    XCTAssertTrue(found.first?.description.hasSuffix("test.yml:13: " + found.first!.message) ?? false)
  }

  func testDuplicateKeyIsAnError() {
    let yaml = Self.validRule.replacingOccurrences(of: "    severity: error", with: "    severity: error\n    severity: info")
    let found = errors(yaml)
    XCTAssertTrue(found.contains { $0.message.contains("duplicate key") && $0.line > 0 }, "\(found)")
  }

  func testDuplicateIDIsAnError() {
    let rule = Self.validRule.components(separatedBy: "rules:\n")[1]
    let found = errors(Self.validRule + "\n" + rule)
    XCTAssertTrue(found.contains { $0.message.contains("duplicate rule id 'test_absolute'") && $0.line == 16 }, "\(found)")
  }

  func testARuleIDMustBeSnakeCase() {
    for bad in ["Test_absolute", "test-absolute", "1test", "_test", "test absolute", "测试"] {
      let found = errors(Self.validRule.replacingOccurrences(of: "id: test_absolute", with: "id: '\(bad)'"))
      XCTAssertTrue(found.contains { $0.message.contains("must be snake_case") && $0.line == 5 }, "\(bad): \(found)")
    }
    XCTAssertEqual(errors(Self.validRule.replacingOccurrences(of: "id: test_absolute", with: "id: t2_x_")), [])
  }

  func testEmptyMessageAndMissingCitationAreErrors() {
    let noMessage = Self.validRule.replacingOccurrences(of: "\"「{evidence}」是绝对化用语\"", with: "\"\"")
    XCTAssertTrue(errors(noMessage).contains { $0.message.contains("'message'") && $0.message.contains("empty") })
    let noCitation = Self.validRule.replacingOccurrences(of: "    citation: {article: 第九条, grade: C}\n", with: "")
    XCTAssertTrue(errors(noCitation).contains { $0.message.contains("missing 'citation'") && $0.line == 5 })
  }

  /// Reported once, with ICU's name for the error and where it is, and the rule's line.
  func testBadPatternIsAnError() {
    let yaml = Self.validRule.replacingOccurrences(of: "    terms: [最佳]", with: "    patterns: ['(最佳']")
    let found = errors(yaml).filter { $0.message.contains("(最佳") }
    XCTAssertEqual(found.count, 1, "\(errors(yaml))")
    XCTAssertTrue(found.first?.message.contains("bad pattern") ?? false, "\(found)")
    XCTAssertTrue(found.first?.message.contains("U_REGEX_MISMATCHED_PAREN") ?? false, "\(found)")
    XCTAssertGreaterThan(found.first?.line ?? 0, 0)
  }

  /// A `names` pattern says which part of its match is the declared name, and opens with the words that gate it.
  func testANamesPatternNeedsItsCodeGroup() {
    let named = Self.validRule.replacingOccurrences(
      of: "    terms: [最佳]", with: "    terms: [最佳]\n    names: ['(商标|书名)：(?<code>\\S{2,8})']")
    XCTAssertEqual(errors(named), [])
    let bare = Self.validRule.replacingOccurrences(of: "    terms: [最佳]", with: "    terms: [最佳]\n    names: ['商标：\\S{2,8}']")
    XCTAssertTrue(errors(bare).contains { $0.message.contains("(?<code>") }, "\(errors(bare))")
    let ungated = Self.validRule.replacingOccurrences(
      of: "    terms: [最佳]", with: "    terms: [最佳]\n    names: ['(?<code>\\S{2,8})®']")
    XCTAssertTrue(errors(ungated).contains { $0.message.contains("opens with its words") }, "\(errors(ungated))")
  }

  func testUnsupportedVersionAndUnknownAreaAndGrade() {
    XCTAssertTrue(errors(Self.validRule.replacingOccurrences(of: "version: 1", with: "version: 9")).contains {
      $0.message.contains("version 9 is not supported") && $0.line == 1
    })
    XCTAssertTrue(errors(Self.validRule.replacingOccurrences(of: "area: advertising", with: "area: adverts")).contains {
      $0.message.contains("unknown area 'adverts'")
    })
    XCTAssertTrue(errors(Self.validRule.replacingOccurrences(of: "grade: C", with: "grade: X")).contains {
      $0.message.contains("grade must be C, S or U")
    })
  }

  func testYAMLSyntaxErrorNamesTheLine() {
    let found = errors(Self.validRule + "\n  - id: [unclosed\n")
    XCTAssertFalse(found.isEmpty)
    XCTAssertGreaterThan(found.first?.line ?? 0, 0)
  }

  func testUGradedRuleDefaultsToInfo() throws {
    let yaml = Self.validRule.replacingOccurrences(of: "    severity: error\n", with: "")
      .replacingOccurrences(of: "grade: C", with: "grade: U")
    XCTAssertEqual(errors(yaml), [])
    let missingSeverity = Self.validRule.replacingOccurrences(of: "    severity: error\n", with: "")
    XCTAssertTrue(errors(missingSeverity).contains { $0.message.contains("missing 'severity'") })
  }

  func testUnknownFeedFieldIsAnError() {
    let yaml = Self.validRule.replacingOccurrences(of: "    terms: [最佳]", with: "    terms: [最佳]\n    when: {feed: [crossborder]}")
    XCTAssertTrue(errors(yaml).contains { $0.message.contains("unknown feed field 'crossborder'") })
  }

  static let vocabularyRule = """
    version: 1
    regulation: 食品安全法
    effective: "2021-04-29"
    vocabularies:
      condition: [失眠, 高血压]
      food_tree: [食品, 茶]
    rules:
      - id: test_cure
        kind: terms
        area: health_food
        severity: error
        title: Test Cure
        message: "「{evidence}」"
        citation: {article: 第七十三条, grade: C}
        terms: ['{condition}']
        patterns: ['治[^，]{0,4}{condition}']
        triggers: ['{condition}']
        categories: {include: ['{food_tree}']}
        example_feed: {category: 茶/花草茶}
        examples:
          fail: ["<p>专门治我妈的失眠</p>", "<p>高血压</p>"]
          pass: ["<p>睡个好觉</p>", {html: "<p>失眠</p>", feed: {category: 家居/枕头}}]
    """

  /// A vocabulary stands for its words in word lists and categories, and for their alternation in a pattern; the
  /// examples prove each use.
  func testAVocabularyIsExpandedWhereverItIsNamed() throws {
    let file = folder.appendingPathComponent("vocab.yml")
    try Self.vocabularyRule.write(to: file, atomically: true, encoding: .utf8)
    let set = try Ruleset.load(paths: [file.path], examples: .all)
    XCTAssertNotNil(set.rule(id: "test_cure"))
  }

  func testAnUnknownVocabularyNamesTheLine() {
    let yaml = Self.vocabularyRule.replacingOccurrences(of: "patterns: ['治[^，]{0,4}{condition}']", with: "patterns: ['治{conditions}']")
    let found = errors(yaml)
    XCTAssertTrue(found.contains { $0.message.contains("unknown vocabulary '{conditions}'") && $0.line == 16 }, "\(found)")
  }

  func testAVocabularyInsideAWordOrDefinedTwiceIsAnError() throws {
    let inside = Self.vocabularyRule.replacingOccurrences(of: "terms: ['{condition}']", with: "terms: ['治{condition}']")
    XCTAssertTrue(errors(inside).contains { $0.message.contains("only patterns splice") })
    // Files loaded together share their vocabularies, so a name is defined once among them.
    let other = folder.appendingPathComponent("other.yml")
    try Self.vocabularyRule.replacingOccurrences(of: "test_cure", with: "test_cure_two")
      .write(to: other, atomically: true, encoding: .utf8)
    let file = folder.appendingPathComponent("test.yml")
    try Self.vocabularyRule.write(to: file, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try Ruleset.load(paths: [file.path, other.path], examples: .none)) { error in
      XCTAssertTrue((error as? RulesetErrors)?.errors.contains { $0.message.contains("defined twice") } == true)
    }
  }

  /// Goods defined in one file and asked by a rule of another: a tree that says neither food nor not is read with the
  /// listing (its title, its category's leaf, a 配料表), and a title naming other goods wins over a food word.
  static let goodsFile = """
    version: 1
    regulation: 食品安全法
    effective: "2021-04-29"
    vocabularies:
      food_tree: [食品, 茶]
    goods:
      food:
        categories: {include: ['{food_tree}'], exclude: [茶具]}
        not: {title_terms: [面膜], terms: [国药准字]}
        is: {title_terms: [蜂蜜], terms: [配料表], patterns: ['sc\\d{14}'], triggers: [sc], feed: [sc_code]}
    rules: []
    """
  static let goodsRule = """
    version: 1
    regulation: 广告法
    effective: "2021-04-29"
    rules:
      - id: test_not_food
        kind: terms
        area: advertising
        severity: error
        title: Test
        message: "「{evidence}」"
        citation: {article: 第十七条, grade: C}
        terms: [专治]
        not_goods: food
        example_feed: {category: 代购/日本}
        examples:
          fail: [{html: "<p>专治</p>", feed: {title: 蜂蜜面膜}}, "<p>专治</p>", {html: "<p>专治</p>", feed: {category: 茶/茶具}},
            "<p>国药准字Z1 配料表 专治</p>"]
          pass: [{html: "<p>专治</p>", feed: {title: 蜂蜜 500g}}, {html: "<p>专治</p>", feed: {category: 代购/蜂蜜}},
            "<p>配料表 专治</p>", "<p>SC11842011202060 专治</p>", {html: "<p>专治</p>", feed: {category: 茶/白茶}},
            {html: "<p>专治</p>", feed: {sc_code: SC11842011202060}}]
    """

  func testGoodsAreDefinedOnceAndAskedByAnyFile() throws {
    let goods = folder.appendingPathComponent("goods.yml")
    try Self.goodsFile.write(to: goods, atomically: true, encoding: .utf8)
    let rule = folder.appendingPathComponent("rule.yml")
    try Self.goodsRule.write(to: rule, atomically: true, encoding: .utf8)
    let set = try Ruleset.load(paths: [goods.path, rule.path], examples: .all)
    XCTAssertNotNil(set.rule(id: "test_not_food"))
    XCTAssertThrowsError(try Ruleset.load(paths: [rule.path], examples: .none)) { error in
      XCTAssertTrue(
        (error as? RulesetErrors)?.errors.contains { $0.message.contains("unknown goods 'food'") } == true, "\(error)")
    }
  }

  func testRegularExpressionBracesAreNotVocabularies() {
    XCTAssertTrue(Vocabularies.references(in: #"\p{Han}{0,3}\x{4E00}"#).isEmpty)
    XCTAssertEqual(Vocabularies.references(in: "治{condition}").map(\.name), ["condition"])
  }
}
