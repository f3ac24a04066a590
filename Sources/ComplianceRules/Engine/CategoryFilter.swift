import ListingParser

/// Which listings a rule applies to, by category.
///
/// An entry matches when it occurs in the category path (`保健食品` matches `跨境/保健食品/鱼油`): marketplaces
/// name their trees differently (`食品饮料`, `休闲食品`, `零食/坚果`), so exact levels would miss real listings.
public struct CategoryFilter: Sendable, Equatable {
  public var include: [String]
  public var exclude: [String]

  public init(include: [String] = [], exclude: [String] = []) {
    self.include = include
    self.exclude = exclude
  }

  public static let any = CategoryFilter()

  public func matches(_ category: String?) -> Bool {
    let path = category ?? ""
    if exclude.contains(where: { path.contains($0) }) { return false }
    return include.isEmpty || include.contains(where: { path.contains($0) })
  }
}
