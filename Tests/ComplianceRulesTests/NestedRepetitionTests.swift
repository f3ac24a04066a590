@testable import ComplianceRules
import XCTest

/// The static check for patterns that backtrack exponentially, and the matching budget for those it cannot see.
final class NestedRepetitionTests: XCTestCase {
  func testNestedVariableRepetitionIsFound() {
    for source in [
      "(a+)+$", "(a*)*", "(a+)*b", "(?:a+){2,}", "(\\d+\\s?)*元", "((a)+)+", "(x(a+)y)+", "(a+?)+", "(a{2,})+",
      "(?<g>a+)+", "(?i:a+)+", "(a+){2}", "(a{1,3})+",
    ] {
      XCTAssertNotNil(NestedRepetition.problem(in: source), source)
    }
  }

  func testOverlappingAlternativesInARepeatedGroupAreFound() {
    for source in ["(a|a)*", "(ab|c|ab)+", "(a|)+", "(|a){3,}"] {
      XCTAssertNotNil(NestedRepetition.problem(in: source), source)
    }
  }

  /// Repetition that cannot be shared out two ways, and text that only looks like a group, pass.
  func testSafeShapesPass() {
    for source in [
      "a+b*", "(a+)?", "(a+)", "(a|b)+", "(?>a+)+", "(a++)+", "(a*+)*", "[(a+)]+", "\\(a+\\)+", "\\Q(a+)+\\E",
      "(?=a+)+", "(?:[ -]?[0-9a-z]){17}", "(\\d{1,2}[:点]\\d{0,2}\\s?)?(止|截止)", "(?#(a+)+)b", "(?i)(ab)+",
      "\\p{Han}+(x)+", "a{2,3}(b|c)+", "(a{3})+", "(a?b)+", "a{,b}(c)+",
    ] {
      XCTAssertNil(NestedRepetition.problem(in: source), source)
    }
  }

  func testTheCheckRejectsThePatternWithAReason() {
    XCTAssertThrowsError(try Pattern("(a+)+$")) { error in
      XCTAssertTrue(error is Pattern.CatastrophicBacktracking)
      XCTAssertTrue("\(error)".contains("'(a+)+' repeats a group that itself repeats"), "\(error)")
    }
    XCTAssertNoThrow(try Pattern("(a|aa)+$"))
    // A pattern ICU cannot compile gets ICU's error, not a guess from its shape.
    XCTAssertThrowsError(try Pattern("((a+)+")) { XCTAssertTrue($0 is ICURegex.CompileError, "\($0)") }
  }

  /// `(a|aa)+$` slips past the check; on 40 a's and a `!` it would take minutes. The budget stops it, says so, and
  /// the next rule starts with a fresh one.
  func testTheBudgetStopsAPatternTheCheckCannotSee() throws {
    let pattern = try Pattern("(a|aa)+$")
    let text = NormalizedText(String(repeating: "a", count: 40) + "!")
    MatchBudget.begin()
    XCTAssertTrue(pattern.matches(in: text).isEmpty)
    let stop = MatchBudget.end()
    XCTAssertNotNil(stop)
    XCTAssertEqual(stop?.reason, "its pattern ran past the matching time limit")

    MatchBudget.begin()
    XCTAssertEqual(pattern.matches(in: NormalizedText("aaaa")).count, 1)
    XCTAssertNil(MatchBudget.end())
  }

  /// A repetition that saves a backtracking frame per character outgrows ICU's stack on a long text before it runs
  /// out of time: that stops the rule as well, and says so.
  func testAStackOverflowStopsTheRuleToo() throws {
    let pattern = try Pattern("(?:a|b)*c")
    MatchBudget.begin()
    XCTAssertFalse(pattern.occurs(in: NormalizedText(String(repeating: "a", count: 1_000_000))))
    let stop = MatchBudget.end()
    XCTAssertEqual(stop?.icuError, "U_REGEX_STACK_OVERFLOW")
    XCTAssertEqual(stop?.reason, "its pattern outgrew ICU's backtracking stack")
  }

  /// Outside a budget (rule examples at start-up), one match call is still bounded.
  func testOneCallIsBoundedWithoutABudget() throws {
    let pattern = try Pattern("(a|aa)+$")
    XCTAssertFalse(pattern.occurs(in: NormalizedText(String(repeating: "a", count: 40) + "!")))
    MatchBudget.begin()
    XCTAssertNil(MatchBudget.end(), "a stop outside a budget must not be charged to the next rule")
  }
}
