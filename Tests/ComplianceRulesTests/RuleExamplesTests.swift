import ComplianceRules
import Foundation
import ListingParser
import XCTest

/// Every rule's own examples, plus variants that must behave the same way: a rule that does not fire on its failing
/// examples, or fires on its passing ones, fails here with the example's file and line.
final class RuleExamplesTests: XCTestCase {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let ruleSet: Ruleset = {
    // Examples are checked separately below so that every failure is reported, not just the load error.
    try! Ruleset.load(paths: [packageRoot.appendingPathComponent("rulesets").path], examples: .none)
  }()

  var runner: ExampleRunner { ExampleRunner(ruleSet: Self.ruleSet) }

  func testEveryAreaHasRules() {
    let areas = Set(Self.ruleSet.rules.map(\.description.area))
    XCTAssertEqual(areas, Set(Area.allCases))
  }

  func testRuleIDsAreUniqueAndEveryRuleHasExamplesAndCitation() {
    let ids = Self.ruleSet.rules.map(\.description.id)
    XCTAssertEqual(ids.count, Set(ids).count)
    for rule in Self.ruleSet.rules {
      let description = rule.description
      XCTAssertFalse(description.failingExamples.isEmpty, description.id)
      XCTAssertFalse(description.passingExamples.isEmpty, description.id)
      XCTAssertFalse(description.citation.article.isEmpty, description.id)
      XCTAssertFalse(description.message.isEmpty, description.id)
      if description.citation.grade == .unconfirmed {
        XCTAssertEqual(description.severity, .info, "\(description.id): rules graded U default to info")
      }
    }
  }

  func testFailingExamplesFire() {
    for rule in Self.ruleSet.rules {
      for example in rule.description.failingExamples {
        XCTAssertFalse(runner.findings(of: rule, on: example).isEmpty, "\(example.source): \(rule.description.id) should fire on \(example.html)")
      }
    }
  }

  func testPassingExamplesDoNotFire() {
    for rule in Self.ruleSet.rules {
      for example in rule.description.passingExamples {
        let findings = runner.findings(of: rule, on: example)
        XCTAssertTrue(findings.isEmpty, "\(example.source): \(rule.description.id) fired on \(findings.map(\.evidence)) in \(example.html)")
      }
    }
  }

  /// How many mutated examples each mutation test must at least run, per mutation: the failing examples of `terms`
  /// rules written as plain text, whose findings are always in that text. Counted from the rule set (and without
  /// `innerText`), so a mutation test that skips every example fails instead of passing on nothing.
  static let plainTermsExamples = ruleSet.rules.filter { $0 is TermsKind }.flatMap(\.description.failingExamples)
    .filter { $0.html.range(of: #"^<p>[^<]+</p>$|^[^<]+$"#, options: .regularExpression) != nil }.count

  /// Every `terms` rule shows at least one plain-text failing example, so the bound is never zero.
  func testTheMutationsHaveExamplesToRunOn() {
    XCTAssertGreaterThanOrEqual(Self.plainTermsExamples, Self.ruleSet.rules.filter { $0 is TermsKind }.count)
    XCTAssertGreaterThan(Self.plainTermsExamples, 0)
  }

  /// Findings located in the example's text: the ones whose position can be checked under mutation.
  private func textFindings(_ rule: any Rule, _ example: Example) -> [Finding] {
    runner.findings(of: rule, on: example).filter { $0.location.file == "example.html" && $0.location.line > 0 }
  }

  func testAnEmojiAndCJKPrefixShiftsTheColumnExactly() {
    var mutated = 0
    for rule in Self.ruleSet.rules {
      for example in rule.description.failingExamples {
        guard let plain = Self.innerText(example.html) else { continue }
        let base = textFindings(rule, Example(plain, feed: example.feed, source: example.source))
        guard let first = base.first else { continue }
        let prefix = "😀前言"
        let shifted = textFindings(rule, Example(prefix + plain, feed: example.feed, source: example.source))
        mutated += 1
        XCTAssertEqual(shifted.first?.location.line, first.location.line, "\(example.source)")
        XCTAssertEqual(shifted.first?.location.column, first.location.column + prefix.unicodeScalars.count, "\(example.source): \(rule.description.id)")
        XCTAssertEqual(shifted.first?.evidence, first.evidence, "\(example.source)")
      }
    }
    XCTAssertGreaterThanOrEqual(mutated, Self.plainTermsExamples)
  }

  func testFullWidthVariantStillFires() {
    var mutated = 0
    for rule in Self.ruleSet.rules {
      for example in rule.description.failingExamples {
        guard let plain = Self.innerText(example.html), !textFindings(rule, Example(plain, feed: example.feed, source: example.source)).isEmpty else { continue }
        let wide = Self.fullWidth(plain)
        mutated += 1
        XCTAssertFalse(
          runner.findings(of: rule, html: "<p>\(wide)</p>", feed: example.feed).isEmpty,
          "\(example.source): \(rule.description.id) should still fire on the full-width variant \(wide)")
      }
    }
    XCTAssertGreaterThanOrEqual(mutated, Self.plainTermsExamples)
  }

  func testInsideScriptOrCommentDoesNotFire() {
    var mutated = 0
    for rule in Self.ruleSet.rules {
      for example in rule.description.failingExamples {
        guard let plain = Self.innerText(example.html), !textFindings(rule, Example(plain, feed: example.feed, source: example.source)).isEmpty else { continue }
        for wrapped in Self.hidden(plain) {
          mutated += 1
          let findings = runner.findings(of: rule, html: wrapped, feed: example.feed)
            .filter { $0.location.file == "example.html" }
          XCTAssertTrue(findings.isEmpty, "\(example.source): \(rule.description.id) fired inside \(wrapped)")
        }
      }
    }
    XCTAssertGreaterThanOrEqual(mutated, Self.plainTermsExamples * Self.hidden("").count)
  }

  func testSpacedOutCJKStillFires() {
    let rule = Self.ruleSet.rule(id: "returns_refused")!
    XCTAssertFalse(runner.findings(of: rule, html: "<p>概 不 退 换</p>", feed: nil).isEmpty)
    XCTAssertFalse(runner.findings(of: rule, html: "<p>概\u{200B}不退换</p>", feed: nil).isEmpty)
    XCTAssertFalse(runner.findings(of: rule, html: "<p>概<b>不</b>退换</p>", feed: nil).isEmpty)
  }

  /// A Latin or numeric word is a whole word: `TOP1` is not in `TOP10`, `100%` not in `1100%`; CJK around it, a
  /// full-width form or a space do not change that it counts.
  func testLatinAndNumericTermsNeedAWordBoundary() {
    let rule = Self.ruleSet.rule(id: "ad_absolute_terms")!
    for lawful in ["<p>热销榜TOP10</p>", "<p>NO.12号色</p>", "<p>人气stop1站</p>", "<p>增长了1100%以上</p>"] {
      let findings = runner.findings(of: rule, html: lawful, feed: nil)
      XCTAssertTrue(findings.isEmpty, "\(lawful): \(findings.map(\.evidence))")
    }
    for claim in ["<p>热销榜TOP1</p>", "<p>ＴＯＰ１单品</p>", "<p>人气 NO.1 单品</p>", "<p>TOP1.</p>", "<p>100%有效</p>"] {
      XCTAssertFalse(runner.findings(of: rule, html: claim, feed: nil).isEmpty, claim)
    }
  }

  /// The text of a one-element example (`<p>…</p>`), or the example itself when it has no tags; nil for richer HTML.
  static func innerText(_ html: String) -> String? {
    var text = html
    if text.hasPrefix("<p>"), text.hasSuffix("</p>") { text = String(text.dropFirst(3).dropLast(4)) }
    return text.contains("<") || text.isEmpty ? nil : text
  }

  /// The text where no shopper reads it: in a comment, in a script.
  static func hidden(_ text: String) -> [String] {
    ["<!-- \(text) -->", "<script>var note = \"\(text)\";</script>"]
  }

  /// ASCII letters, digits and punctuation to their full-width forms; CJK stays as it is.
  static func fullWidth(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
      (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
    }))
  }
}
