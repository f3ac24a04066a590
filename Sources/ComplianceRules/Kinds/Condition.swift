import ListingParser

/// "This listing is of a kind": any of a category, a feed field that is set, or a word shown anywhere.
///
/// Cross-border rules use it: a listing is cross-border when its category says 跨境, when the feed says
/// `cross_border: true`, or when the page speaks of 保税 or 海外直邮. An empty condition always holds.
package struct Condition: Sendable {
  public struct Spec: Sendable {
    public var categories: [String] = []
    public var feed: [String] = []
    public var terms: [String] = []
    /// Words that count only in the listing's title (feed or page).
    public var titleTerms: [String] = []
    public init() {}
    public var isEmpty: Bool { categories.isEmpty && feed.isEmpty && terms.isEmpty && titleTerms.isEmpty }
  }

  let categories: CategoryCondition
  let feed: [String]
  let terms: TermIndex.SetID
  let titleTerms: TermIndex.SetID
  let isEmpty: Bool

  public init(_ spec: Spec, index: inout TermIndex.Builder) {
    categories = CategoryCondition(CategoryFilter(include: spec.categories), index: &index)
    feed = spec.feed
    terms = index.register(spec.terms)
    titleTerms = index.register(spec.titleTerms)
    isEmpty = spec.isEmpty
  }

  public func holds(for context: ListingContext) -> Bool {
    if isEmpty { return true }
    if categories.mentions(context) { return true }
    if feed.contains(where: { context.listing.field($0) != nil }) { return true }
    if !context.hits(terms).isEmpty { return true }
    return context.hits(titleTerms).contains { [.feedTitle, .title].contains(context.blocks[$0.block].scope) }
  }
}
