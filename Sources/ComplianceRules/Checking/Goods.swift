import ListingParser

/// What a listing sells — food, say — defined once under a ruleset file's `goods:` and asked by every rule whose law
/// turns on it (`goods: food`, or `not_goods: food` for a rule written for everything else).
///
/// A category path decides when it names the kind or names goods of another kind; a path that says neither (跨境/…,
/// 代购/…, 特产/…, a shop's own tree) is no answer, so the listing is read for what it is: its title's product noun
/// (蜂蜜, 鱼油), what only that kind of goods shows (an SC number, a 配料表). In that order:
///
/// 1. a category the definition excludes (a drug, a device, tea ware): not of the kind;
/// 2. a category it includes: of the kind;
/// 3. a title or category leaf naming goods of another kind (a 蜂蜜面膜, a 猫粮), or a page showing what only they
///    show (a drug's approval number): not;
/// 4. a title or category leaf naming goods of the kind (跨境/保健/鱼油), or a page or feed field showing what they
///    show: of the kind.
package struct Goods: Sendable {
  public struct Spec: Sendable {
    public var categories = CategoryFilter.any
    public var isTitle: [String] = []
    public var isShown = Indicator.Spec()
    public var notTitle: [String] = []
    public var notShown = Indicator.Spec()
    public init() {}
  }

  let categories: CategoryCondition
  let exclusions: CategoryCondition
  let isTitle: Indicator
  /// The title's words, read in the category path too: a shop's tree ends in the product (代购/日本/酵素).
  let isNamed: CategoryCondition
  let notNamed: CategoryCondition
  let isShown: Indicator
  let notTitle: Indicator
  let notShown: Indicator

  public init(_ spec: Spec, index: inout TermIndex.Builder) throws {
    categories = CategoryCondition(CategoryFilter(include: spec.categories.include), index: &index)
    exclusions = CategoryCondition(CategoryFilter(exclude: spec.categories.exclude), index: &index)
    isNamed = CategoryCondition(CategoryFilter(include: spec.isTitle), index: &index)
    notNamed = CategoryCondition(CategoryFilter(include: spec.notTitle), index: &index)
    // A word counts only where the clause says it of the goods: 不是保健品 does not make a listing one.
    isTitle = try Indicator(Indicator.Spec(terms: spec.isTitle, scopes: Self.titles, asserted: true), index: &index)
    notTitle = try Indicator(Indicator.Spec(terms: spec.notTitle, scopes: Self.titles, asserted: true), index: &index)
    var isShown = spec.isShown, notShown = spec.notShown
    isShown.asserted = true
    notShown.asserted = true
    self.isShown = try Indicator(isShown, index: &index)
    self.notShown = try Indicator(notShown, index: &index)
  }

  /// The listing's title, in the feed or on the page.
  static let titles: Set<Scope> = [.feedTitle, .title]

  public func holds(for context: ListingContext) -> Bool {
    if !exclusions.matches(context) { return false }
    if categories.mentions(context) { return true }
    if notNamed.mentions(context) || notTitle.firstSighting(in: context, scopes: []) != nil
      || notShown.firstSighting(in: context, scopes: []) != nil
    {
      return false
    }
    return isNamed.mentions(context) || isTitle.firstSighting(in: context, scopes: []) != nil
      || isShown.firstSighting(in: context, scopes: []) != nil
  }
}

/// A rule's question about the goods: `goods: food` asks that the listing be food, `not_goods: food` that it not be.
///
/// The definition is registered once in the shared index however many rules ask about it, and decided once per
/// listing (`ListingContext.isGoods`): seven rules ask whether a listing is food.
package struct GoodsCondition: Sendable {
  public struct Spec: Sendable {
    public var name: String
    public var goods: Goods.Spec
    public var expected: Bool
  }

  let goods: TermIndex.GoodsID
  let expected: Bool

  public init(_ spec: Spec, index: inout TermIndex.Builder) throws {
    goods = try index.register(goods: spec.name, spec.goods)
    expected = spec.expected
  }

  public func holds(for context: ListingContext) -> Bool { context.isGoods(goods) == expected }
}
