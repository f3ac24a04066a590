import ListingParser

/// Wording that states what a 划线价 is (规定 art 16: a compared price whose details are stated need not be the
/// 7-day low): a reference price, a manufacturer's suggestion, a tag price. Naming the 7-day low states nothing: a
/// 划线价 above the feed's 7-day low that says it is that low is false, and one beside it (`划线价为日常价；前7日最低
/// 49.9`) is a compared price of no stated type above it.
///
/// `仅供参考` counts only when its sentence speaks of a price (`划线价…仅供参考`): `图片仅供参考，请以实物为准`, on
/// nearly every page, says nothing about the 划线价.
enum ReferenceBasis {
  static let terms = [
    "并非原价", "非原价", "不是原价", "参考价", "建议零售价", "指导价", "吊牌价", "专柜价", "划线价格说明", "划线价说明",
    // A book's price as its publisher prints it.
    "标注定价", "封底定价", "出版社定价", "图书定价",
  ]
  /// Words that state a basis only when a price is named before them in the same sentence.
  /// Words that state a basis only with a price before them (`仅供参考`), or a date beside them (`首发价`).
  static let qualifiedTerms = [
    "仅供参考", "仅供您参考", "仅作参考", "仅做参考", "划线价", "首发价", "上市价", "发售价", "上架价", "定价",
  ]
  private static let qualified = try! ICURegex(
    #"(划线价|原价|吊牌价|参考价|指导价|专柜价|零售价|市场价|价格|标价)[^。;!?\n]{0,30}仅(供|作|做)(您)?参考"#,
    caseInsensitive: false)
  /// A price named with the time it was charged (规定 art 16 lets a compared price with its type and time stated
  /// differ from the 7-day low): `划线价为2026年9月本店售价`, `首发价168（2026年10月20日上架）`. A date alone, with no
  /// price type (`划线价为活动前日常价`), states no time.
  private static let dated = try! ICURegex(
    #"(划线价|首发价|上市价|发售价|上架价|定价)[^。;!?\n]{0,40}(20\d{2}\s?[年./-]\s?\d{1,2}|(?<!\d)(1[0-2]|0?[1-9])\s?月)"#
      + #"|(20\d{2}\s?[年./-]\s?\d{1,2}|(?<!\d)(1[0-2]|0?[1-9])\s?月)[^。;!?\n]{0,30}(首发价|上市价|发售价|上架价|定价)"#,
    caseInsensitive: false)

  /// Whether the listing states what its 划线价 is: a basis word, or `仅供参考` said of a price.
  static func isStated(_ context: ListingContext, terms: TermIndex.SetID, qualifiedTerms: TermIndex.SetID) -> Bool {
    if !context.hits(terms).isEmpty { return true }
    return context.blocks(withHitsOf: qualifiedTerms).contains {
      let bytes = context.normalized[$0].bytes
      return qualified.firstMatch(in: bytes) != nil || dated.firstMatch(in: bytes) != nil
    }
  }

  /// Where the feed's 划线价 finding points: the page's struck-through price if there is one, else the feed record.
  static func location(_ context: ListingContext) -> SourceLocation {
    if let block = context.blocks.first(where: { $0.scope == .originalPrice }) { return block.startLocation }
    var location = context.recordLocation
    location.scope = .feedRecord
    return location
  }
}

/// A 划线价 at or below the selling price is no saving at all, yet the strike-through says there is one.
struct ReferencePriceNotHigherRule: Rule {
  static let description = RuleDescription(
    id: "price_reference_not_higher", area: .pricing, severity: .warning, title: "Reference Price Not Above Price",
    message: "划线价{evidence}不高于售价{detail}，划线展示却暗示优惠，属虚假的价格比较。请删除划线价，或核实并更正价格。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十九条第（三）项", grade: .confirmed),
    failingExamples: [Example("", feed: #"{"price":99,"original_price":89}"#)],
    passingExamples: [Example("", feed: #"{"price":99,"original_price":129,"lowest_price_7d":99}"#), Example("", feed: #"{"price":99}"#)],
    source: #filePath)

  var description: RuleDescription { Self.description }

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let price = context.listing.price, let reference = context.listing.originalPrice, reference <= price else { return }
    sink.report(
      description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context),
      detail: "（\(PriceText.format(price))）")
  }
}

/// A 划线价 above the lowest price of the 7 days before, with nothing saying what the 划线价 is.
struct ReferencePriceAboveLowestRule: Rule {
  static let description = RuleDescription(
    id: "price_reference_above_7d_low", area: .pricing, severity: .error, title: "Reference Price Above 7-Day Low",
    message: "划线价{evidence}高于前7日最低成交价{detail}，且未说明划线价的含义。未标明的被比较价格须不高于前7日内最低成交价：请改用该最低价作划线价，或写明划线价的性质（如“划线价为厂商建议零售价”）。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十六条", grade: .confirmed),
    failingExamples: [
      Example("<p>限量特惠，欢迎选购</p>", feed: #"{"price":99,"original_price":199,"lowest_price_7d":99}"#),
      Example("<p>图片仅供参考，请以实物为准</p>", feed: #"{"price":59.9,"original_price":199,"lowest_price_7d":59.9}"#),
      Example("<p>划线价为活动前日常价</p>", feed: #"{"price":49.9,"original_price":59.9,"lowest_price_7d":49.9}"#),
      Example(
        "<p>划线价为活动前日常价；前7日最低成交价49.9</p>",
        feed: #"{"price":49.9,"original_price":59.9,"lowest_price_7d":49.9}"#),
      Example("<p>划线价即近7天最低价</p>", feed: #"{"price":49.9,"original_price":59.9,"lowest_price_7d":49.9}"#),
      Example("<p>售价实惠，12月发货</p>", feed: #"{"price":49.9,"original_price":79.9,"lowest_price_7d":49.9}"#),
    ],
    passingExamples: [
      Example("", feed: #"{"price":99,"original_price":119,"lowest_price_7d":119}"#),
      Example("<p>划线价为品牌专柜价，并非原价，仅供参考</p>", feed: #"{"price":99,"original_price":199,"lowest_price_7d":99}"#),
      Example("<p>划线价为厂商指导价</p>", feed: #"{"price":59.9,"original_price":199,"lowest_price_7d":59.9}"#),
      Example(
        "<p>图片仅供参考，请以实物为准</p><p>划线价格：商家标注的曾经展示过的销售价，仅供您参考</p>",
        feed: #"{"price":59.9,"original_price":199,"lowest_price_7d":59.9}"#),
      Example("<p>划线价为本店2026年3月的售价</p>", feed: #"{"price":59.9,"original_price":89,"lowest_price_7d":59.9}"#),
      Example("<p>新款上市价259元（9月12日发售）</p>", feed: #"{"price":199,"original_price":259,"lowest_price_7d":199}"#),
      Example("<p>2025.11 首发价399，现价299</p>", feed: #"{"price":299,"original_price":399,"lowest_price_7d":299}"#),
      Example("<p>定价68元（以图书封底定价为准）</p>", feed: #"{"price":29.9,"original_price":68,"lowest_price_7d":29.9}"#),
    ],
    source: #filePath)

  var description: RuleDescription { Self.description }
  let basis: TermIndex.SetID
  let qualifiedBasis: TermIndex.SetID

  init(index: inout TermIndex.Builder) {
    basis = index.register(ReferenceBasis.terms)
    qualifiedBasis = index.register(ReferenceBasis.qualifiedTerms)
  }

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    let listing = context.listing
    guard let reference = listing.originalPrice, let lowest = listing.lowestPrice7d, reference > lowest + 0.005,
      !ReferenceBasis.isStated(context, terms: basis, qualifiedTerms: qualifiedBasis)
    else { return }
    sink.report(
      description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context),
      detail: "（\(PriceText.format(lowest))）")
  }
}

/// A 划线价 with neither the 7-day low to check it against nor any statement of what it is.
struct ReferencePriceUnverifiedRule: Rule {
  static let description = RuleDescription(
    id: "price_reference_unverified", area: .pricing, severity: .info, title: "Reference Price Without Basis",
    message: "划线价{evidence}未说明依据，且目录未提供前7日最低成交价（lowest_price_7d）。未标明的被比较价格须不高于前7日内最低成交价：请在目录中提供该价格以便核对，或在页面写明划线价的含义。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十六条", grade: .confirmed),
    failingExamples: [
      Example("<p>今日下单立享优惠</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>图片仅供参考，请以实物为准</p>", feed: #"{"price":99,"original_price":199}"#),
    ],
    passingExamples: [
      Example("<p>划线价为厂商建议零售价</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>划线价为参考价，仅供参考</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>图片仅供参考。以上价格仅供参考</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("", feed: #"{"price":99,"original_price":199,"lowest_price_7d":99}"#),
      Example("", feed: #"{"price":99}"#),
    ],
    source: #filePath)

  var description: RuleDescription { Self.description }
  let basis: TermIndex.SetID
  let qualifiedBasis: TermIndex.SetID

  init(index: inout TermIndex.Builder) {
    basis = index.register(ReferenceBasis.terms)
    qualifiedBasis = index.register(ReferenceBasis.qualifiedTerms)
  }

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    let listing = context.listing
    guard let reference = listing.originalPrice, listing.lowestPrice7d == nil,
      reference > (listing.price ?? 0) + 0.005,
      !ReferenceBasis.isStated(context, terms: basis, qualifiedTerms: qualifiedBasis)
    else { return }
    sink.report(description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context))
  }
}
