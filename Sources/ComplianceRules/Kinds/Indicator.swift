import ListingParser

/// Something a listing may show: words, patterns or feed fields; any one of them is enough.
///
/// Used for what a disclosure rule requires, what triggers it and what exempts it.
package struct Indicator: Sendable {
  public struct Spec: Sendable {
    public var name: String = ""
    public var terms: [String] = []
    public var patterns: [String] = []
    /// Words that must be in a block for the patterns to be tried there; none means every block.
    public var triggers: [String] = []
    public var feed: [String] = []
    /// Where to look instead of the rule's scopes: a disclosure shown only in text no shopper sees (`hidden`).
    public var scopes: Set<Scope> = []
    /// Only what the seller says of itself counts: text in a sentence that names the marketplace's operator (a
    /// footer's platform licence) is the platform's.
    public var sellerOwn = false
    /// Only a clause that asserts the words counts: `不是全球购也不是海外直邮` says the goods are not of the kind.
    public var asserted = false
    public init(
      name: String = "", terms: [String] = [], patterns: [String] = [], triggers: [String] = [], feed: [String] = [],
      scopes: Set<Scope> = [], sellerOwn: Bool = false, asserted: Bool = false
    ) {
      self.asserted = asserted
      self.name = name
      self.scopes = scopes
      self.sellerOwn = sellerOwn
      self.terms = terms
      self.patterns = patterns
      self.triggers = triggers
      self.feed = feed
    }
    public var isEmpty: Bool { terms.isEmpty && patterns.isEmpty && feed.isEmpty }
  }

  public let name: String
  let terms: TermIndex.SetID
  let patterns: TriggeredPatterns
  let feed: [String]
  let scopes: Set<Scope>
  let sellerOwn: Bool
  let asserted: Bool
  public let isEmpty: Bool

  public init(_ spec: Spec, index: inout TermIndex.Builder) throws {
    name = spec.name
    terms = index.register(spec.terms)
    patterns = try TriggeredPatterns(spec.patterns, triggers: spec.triggers, index: &index)
    feed = spec.feed
    scopes = spec.scopes
    sellerOwn = spec.sellerOwn
    asserted = spec.asserted
    isEmpty = spec.isEmpty
  }

  /// Where the evidence first appears in scope: a block and normalised range, or the feed record.
  public enum Sighting {
    case text(block: Int, start: Int, end: Int)
    case field(String, value: String)
  }

  /// `scopes` are the rule's; the evidence's own, when it names some, replace them.
  public func firstSighting(in context: ListingContext, scopes ruleScopes: Set<Scope>) -> Sighting? {
    let scopes = self.scopes.isEmpty ? ruleScopes : self.scopes
    for field in feed {
      if let value = context.listing.field(field) { return .field(field, value: value) }
    }
    let hits = context.hits(terms, includingHidden: scopes.contains(.hidden))
    let own = hits.first {
      context.block($0.block, isIn: scopes) && counts(block: $0.block, start: $0.start, end: $0.end, context)
    }
    if let hit = own {
      return .text(block: hit.block, start: hit.start, end: hit.end)
    }
    var first: Sighting?
    patterns.forEachMatch(in: context, includingHidden: scopes.contains(.hidden), where: {
      context.block($0, isIn: scopes)
    }) { block, match in
      guard counts(block: block, start: match.start, end: match.end, context) else { return true }
      first = .text(block: block, start: match.start, end: match.end)
      return false
    }
    return first
  }

  /// Whether text at `start..<end` of `block` counts: it speaks for the seller, when only the seller's own counts,
  /// and its clause asserts it, when only an assertion counts.
  private func counts(block: Int, start: Int, end: Int, _ context: ListingContext) -> Bool {
    let bytes = context.normalized[block].bytes
    if sellerOwn, ClauseReading.namesPlatformOperator(before: start, in: bytes) { return false }
    return !asserted
      || ClauseReading.stance(start: start, end: end, in: bytes, negations: Self.kindDenials) == .asserted
  }

  /// Words that deny a listing is of a kind (`本店不是海外直邮`, `并非保税商品`). Tight on purpose: `无`/`非` open
  /// ordinary words (`无忧`, `非常`) that deny nothing.
  static let kindDenials: [[UInt8]] = ["不是", "并非", "并不是", "不属于", "不走", "没有"].map {
    Array(NormalizedText.normalize($0).utf8)
  }
}
