import CICU

/// A bound on the regular-expression matching of one rule on one listing.
///
/// A house rule's pattern can backtrack exponentially on text that almost matches (`(a|aa)+$` on a long run of
/// a's); unbounded, one listing would hold a worker for minutes. ICU stops any one match after a time limit, and
/// every match made between `begin()` and `end()` on the calling thread draws from one budget of the same size, so a
/// rule stops within 250 ticks a listing however many blocks it searches: 25–35 ms on an idle core, about 0.2 s with
/// every core busy (measured with `(a+)+$`, `(a|aa)+$`, `(\w+\s?)+$`; see cicu.h). The built-in rules never use a
/// whole tick on any page of the corpus.
enum MatchBudget {
  /// Why matching was stopped: what the rule found is incomplete.
  struct Stop: Equatable {
    /// ICU's error name: `U_REGEX_TIME_OUT`, `U_REGEX_STACK_OVERFLOW` or `U_REGEX_STOPPED_BY_CALLER`.
    let icuError: String

    /// For the input issue: what happened, in a reader's terms.
    var reason: String {
      icuError == "U_REGEX_STACK_OVERFLOW"
        ? "its pattern outgrew ICU's backtracking stack" : "its pattern ran past the matching time limit"
    }
  }

  /// Opens this thread's budget.
  static func begin() { cicu_budget_begin() }

  /// Closes this thread's budget: nil when every match since `begin()` ran to its end.
  static func end() -> Stop? {
    cicu_budget_end().map { Stop(icuError: String(cString: $0)) }
  }
}
