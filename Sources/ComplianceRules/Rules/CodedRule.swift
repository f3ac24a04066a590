/// A rule written in Swift, for logic no data kind expresses (arithmetic, comparisons between feed and page).
///
/// A coded rule states only what is its own: its `description` (law, message, examples), the word lists its check
/// looks up (`Terms`, none by default) and `check`. Registering the lists in the run's shared keyword index, and
/// answering `description` for the instance, is done here once for all of them.
protocol CodedRule: Rule {
  /// Names the word lists `check` looks up, one case per list.
  associatedtype Terms: TermLists = NoTerms

  /// What the rule checks: id, severity, law, message and the examples that test it.
  static var description: RuleDescription { get }

  /// The rule with its word lists registered. A rule with lists keeps them (`let terms: RegisteredTerms<Terms>`,
  /// whose memberwise initialiser is this one); a rule without declares `init(terms: RegisteredTerms<NoTerms>) {}`.
  init(terms: RegisteredTerms<Terms>)
}

extension CodedRule {
  var description: RuleDescription { Self.description }

  /// The rule, its word lists registered in the run's shared index.
  static func make(_ index: inout TermIndex.Builder) -> Self { Self(terms: RegisteredTerms(in: &index)) }
}

/// The word lists of a coded rule: an `Int` enum with a case per list, each giving its words.
protocol TermLists: CaseIterable, RawRepresentable where RawValue == Int {
  var words: [String] { get }
}

/// The `Terms` of a rule that looks up no words: no lists, so nothing is registered.
enum NoTerms: TermLists {
  init?(rawValue: Int) { nil }
  var rawValue: Int { switch self {} }
  var words: [String] { switch self {} }
}

/// The ids the shared index gave a rule's word lists, looked up by the list's case.
struct RegisteredTerms<Lists: TermLists>: Sendable {
  /// By the lists' raw values, which Swift numbers 0, 1, … in the order the cases are declared.
  private let ids: [TermIndex.SetID]

  init(in index: inout TermIndex.Builder) {
    ids = Lists.allCases.map { index.register($0.words) }
  }

  subscript(list: Lists) -> TermIndex.SetID { ids[list.rawValue] }
}
