import ListingParser

/// Which listings a rule applies to, by category.
///
/// An entry matches when it occurs in the category path (`保健食品` matches `跨境/保健食品/鱼油`): marketplaces
/// name their trees differently (`食品饮料`, `休闲食品`, `零食/坚果`), so exact levels would miss real listings.
///
/// Every rule asks for every listing, and a filter may hold hundreds of entries (the food trees, the title nouns a
/// goods definition also reads in the path): searching the path for each entry in turn was 2 % of a run. The
/// entries go into an automaton of their own, so a question is one pass over the path's few dozen bytes.
package struct CategoryFilter: Sendable, Equatable {
  public let include: [String]
  public let exclude: [String]
  private let included: TermMatcher
  private let excluded: TermMatcher
  /// An empty entry occurs in every path (the automaton holds no empty term).
  private let includesEverything: Bool
  private let excludesEverything: Bool

  public init(include: [String] = [], exclude: [String] = []) {
    self.include = include
    self.exclude = exclude
    included = TermMatcher(patterns: include.map { Array($0.utf8) })
    excluded = TermMatcher(patterns: exclude.map { Array($0.utf8) })
    includesEverything = include.contains("")
    excludesEverything = exclude.contains("")
  }

  public static let any = CategoryFilter()

  public static func == (left: CategoryFilter, right: CategoryFilter) -> Bool {
    left.include == right.include && left.exclude == right.exclude
  }

  public func matches(_ category: String?) -> Bool {
    if include.isEmpty && exclude.isEmpty { return true }
    let path = Array((category ?? "").utf8)
    if excludesEverything || (!exclude.isEmpty && excluded.occurs(in: path)) { return false }
    return include.isEmpty || includesEverything || included.occurs(in: path)
  }

  /// Whether the category contains any of the entries (no exclusions): `when: {categories: …}` of a rule.
  public func mentions(_ category: String?) -> Bool {
    guard !include.isEmpty else { return false }
    return includesEverything || included.occurs(in: Array((category ?? "").utf8))
  }
}
