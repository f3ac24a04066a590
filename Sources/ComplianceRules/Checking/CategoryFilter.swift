import ListingParser

/// Which listings a rule applies to, by category: the entries a ruleset gives (`categories: {include, exclude}`).
///
/// An entry matches when it occurs in the category path (`保健食品` matches `跨境/保健食品/鱼油`): marketplaces
/// name their trees differently (`食品饮料`, `休闲食品`, `零食/坚果`), so exact levels would miss real listings.
/// Rules register their filters (`CategoryCondition`), so that a listing's path is read once for all of them.
package struct CategoryFilter: Sendable, Equatable {
  public var include: [String]
  public var exclude: [String]

  public init(include: [String] = [], exclude: [String] = []) {
    self.include = include
    self.exclude = exclude
  }

  public static let any = CategoryFilter()

  /// Whether the category contains any of the entries, searched for one by one: for a coded rule's short fixed
  /// list, asked without the shared index.
  public func mentions(_ category: String?) -> Bool {
    var path = category ?? ""
    return path.withUTF8 { path in include.contains { path.contains(bytes: Array($0.utf8)) } }
  }
}

/// A rule's category filter registered in the shared index: the listing's path is scanned once for the entries of
/// every filter (`ListingContext.categoryMentions`), and each filter asks about its own lists.
package struct CategoryCondition: Sendable {
  private let include: TermIndex.CategoriesID?
  private let exclude: TermIndex.CategoriesID?

  public init(_ filter: CategoryFilter, index: inout TermIndex.Builder) {
    include = filter.include.isEmpty ? nil : index.register(categories: filter.include)
    exclude = filter.exclude.isEmpty ? nil : index.register(categories: filter.exclude)
  }

  /// Whether the listing's category holds none of the excluded entries and, when some are included, one of those.
  public func matches(_ context: ListingContext) -> Bool {
    if let exclude, context.categoryMentions(exclude) { return false }
    return include.map { context.categoryMentions($0) } ?? true
  }

  /// Whether the listing's category holds one of the included entries, exclusions aside: `when: {categories: …}`.
  public func mentions(_ context: ListingContext) -> Bool {
    include.map { context.categoryMentions($0) } ?? false
  }
}
