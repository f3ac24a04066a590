import ListingParser

/// Kind `disclosure`: when a listing is of a kind (category, feed flag, trigger words), it must show something.
///
/// Each entry of `require` is one thing that must be shown (an approval number, the warning text, each field of a
/// 中文电子标签); any of its words, patterns or feed fields satisfies it. One finding lists everything missing. It
/// points at the trigger when words triggered the rule, otherwise at the feed record.
package struct DisclosureKind: Rule {
  public struct Spec: Sendable {
    public var categories = CategoryFilter.any
    /// Feed fields that, when set (or true), make the rule apply.
    public var whenFeed: [String] = []
    /// Words that make the rule apply wherever they appear.
    public var whenTerms: [String] = []
    /// Words that make the rule apply only when they are in the listing's title (feed or page): 全球购 is a
    /// navigation link on every marketplace page, but a claim in a title.
    public var whenTitleTerms: [String] = []
    public var whenPatterns: [String] = []
    /// The rule applies only to listings that are (or are not) the goods a ruleset defines: `goods: food`.
    public var goods: GoodsCondition.Spec?
    public var require: [Indicator.Spec] = []
    /// Words or fields that make the rule not apply (an exemption statement).
    public var exempt = Indicator.Spec()
    /// When set, the rule applies only to listings that show one of these: it judges whether a disclosure the page
    /// makes is complete, while a sibling rule reports its absence.
    public var shown = Indicator.Spec()
    public var scopes: Set<Scope> = []
    public init() {}
  }

  public let description: RuleDescription
  let categories: CategoryCondition
  /// The excluded categories alone.
  let exclusions: CategoryCondition
  let whenFeed: [String]
  let goods: GoodsCondition?
  let trigger: Indicator
  let titleTrigger: Indicator
  let require: [Indicator]
  let exempt: Indicator
  let shown: Indicator
  let scopes: Set<Scope>
  /// With no trigger at all the category decides alone.
  let categoryDecides: Bool

  public init(_ description: RuleDescription, spec: Spec, index: inout TermIndex.Builder) throws {
    self.description = description
    categories = CategoryCondition(spec.categories, index: &index)
    exclusions = CategoryCondition(CategoryFilter(exclude: spec.categories.exclude), index: &index)
    whenFeed = spec.whenFeed
    goods = try spec.goods.map { try GoodsCondition($0, index: &index) }
    // A trigger word puts the listing in the kind only where the page says it of the goods, not where it denies it.
    trigger = try Indicator(
      Indicator.Spec(terms: spec.whenTerms, patterns: spec.whenPatterns, asserted: true), index: &index)
    titleTrigger = try Indicator(Indicator.Spec(terms: spec.whenTitleTerms, asserted: true), index: &index)
    require = try spec.require.map { try Indicator($0, index: &index) }
    exempt = try Indicator(spec.exempt, index: &index)
    shown = try Indicator(spec.shown, index: &index)
    scopes = spec.scopes
    categoryDecides = !spec.categories.include.isEmpty
  }

  public func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let (evidence, location) = applies(context) else { return }
    if !shown.isEmpty, shown.firstSighting(in: context, scopes: scopes) == nil { return }
    let missing = require.filter { $0.firstSighting(in: context, scopes: scopes) == nil }
    guard !missing.isEmpty else { return }
    if !exempt.isEmpty, exempt.firstSighting(in: context, scopes: scopes) != nil { return }
    sink.report(
      description, evidence: evidence, at: location, detail: missing.map(\.name).joined(separator: "、"))
  }

  /// Whether the rule applies, with the evidence to quote and where: the trigger, the feed flag or the category.
  private func applies(_ context: ListingContext) -> (String, SourceLocation)? {
    let listing = context.listing
    var category = context.recordLocation
    category.scope = .feedCategory
    // An excluded category rules the listing out whatever its page says; a listed one rules it in, and otherwise
    // the trigger words decide (a drug filed under 家庭常备 is known by its 功能主治).
    if !exclusions.matches(context) { return nil }
    if let goods, !goods.holds(for: context) { return nil }
    if categoryDecides, categories.matches(context) {
      return (listing.category ?? "", category)
    }
    for field in whenFeed {
      if let value = listing.field(field) { return ("\(field): \(value)", context.recordLocation) }
    }
    let sighting =
      trigger.firstSighting(in: context, scopes: [])
      ?? titleTrigger.firstSighting(in: context, scopes: [.feedTitle, .title])
    // Both triggers are words and patterns, never feed fields (`whenFeed` is read above): a sighting is in text.
    if case .text(let block, let start, let end) = sighting {
      let original = context.original(block: block, start: start, end: end)
      return (original.text, original.location)
    }
    let hasTrigger = categoryDecides || !whenFeed.isEmpty || !trigger.isEmpty || !titleTrigger.isEmpty
    return hasTrigger ? nil : (listing.title, context.recordLocation)
  }
}
