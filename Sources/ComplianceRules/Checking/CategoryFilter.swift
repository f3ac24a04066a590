import ListingParser

/// Which listings a rule applies to, by category.
///
/// An entry matches when it occurs in the category path (`保健食品` matches `跨境/保健食品/鱼油`): marketplaces
/// name their trees differently (`食品饮料`, `休闲食品`, `零食/坚果`), so exact levels would miss real listings.
/// Matching is on UTF-8 bytes: every rule asks for every listing, and Foundation's `contains` costs a locale-aware
/// search each time.
package struct CategoryFilter: Sendable, Equatable {
  public var include: [String] {
    didSet { includeBytes = include.map { Array($0.utf8) } }
  }
  public var exclude: [String] {
    didSet { excludeBytes = exclude.map { Array($0.utf8) } }
  }
  private var includeBytes: [[UInt8]]
  private var excludeBytes: [[UInt8]]

  public init(include: [String] = [], exclude: [String] = []) {
    self.include = include
    self.exclude = exclude
    includeBytes = include.map { Array($0.utf8) }
    excludeBytes = exclude.map { Array($0.utf8) }
  }

  public static let any = CategoryFilter()

  public func matches(_ category: String?) -> Bool {
    if includeBytes.isEmpty && excludeBytes.isEmpty { return true }
    return Self.withUTF8(of: category) { path in
      if excludeBytes.contains(where: { path.contains(bytes: $0) }) { return false }
      return includeBytes.isEmpty || includeBytes.contains(where: { path.contains(bytes: $0) })
    }
  }

  /// Whether the category contains any of the entries (no exclusions): `when: {categories: …}` of a rule.
  public func mentions(_ category: String?) -> Bool {
    Self.withUTF8(of: category) { path in includeBytes.contains(where: { path.contains(bytes: $0) }) }
  }

  /// The category's own UTF-8 storage, not a copy: every rule asks about every listing.
  private static func withUTF8(of category: String?, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
    var path = category ?? ""
    return path.withUTF8(body)
  }
}
