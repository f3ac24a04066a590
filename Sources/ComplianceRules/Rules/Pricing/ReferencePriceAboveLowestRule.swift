import ListingParser

/// A 划线价 above the lowest price of the 7 days before, with nothing saying what the 划线价 is.
struct ReferencePriceAboveLowestRule: CodedRule {
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
      // A list of what the 划线价 might be says not which it is.
      Example("<p>划线价可能是吊牌价或专柜价</p>", feed: #"{"price":59,"original_price":99,"lowest_price_7d":59}"#),
      Example(
        "<p>页面划线价为商品的品牌指导价、专柜价或者电商零售价</p>",
        feed: #"{"price":129,"original_price":259,"lowest_price_7d":129}"#),
      // Calling it the shop's own former price is no basis: that is what art 16 measures against the 7-day low.
      Example("<p>划线价为本店原价，现在活动便宜卖</p>", feed: #"{"price":880,"original_price":1280,"lowest_price_7d":880}"#),
    ],
    passingExamples: [
      Example("<p>注：划线金额并非本店原价，是品牌的公开标价</p>", feed: #"{"price":45,"original_price":68,"lowest_price_7d":45}"#),
      Example("<p>划线价是该型号的官网首发价，二手机以成色定价</p>", feed: #"{"price":2100,"original_price":5999,"lowest_price_7d":2100}"#),
      Example("", feed: #"{"price":99,"original_price":119,"lowest_price_7d":119}"#),
      Example("<p>划线价为品牌专柜价，并非原价，仅供参考</p>", feed: #"{"price":99,"original_price":199,"lowest_price_7d":99}"#),
      Example("<p>划线价为厂商指导价</p>", feed: #"{"price":59.9,"original_price":199,"lowest_price_7d":59.9}"#),
      Example("<p>划线价为该款吊牌价，如需发票或合格证请联系客服</p>", feed: #"{"price":59,"original_price":99,"lowest_price_7d":59}"#),
      Example(
        "<p>划线价为参考价，并非原价，可能是专柜价或吊牌价</p>",
        feed: #"{"price":59,"original_price":99,"lowest_price_7d":59}"#),
      Example(
        "<p>图片仅供参考，请以实物为准</p><p>划线价格：商家标注的曾经展示过的销售价，仅供您参考</p>",
        feed: #"{"price":59.9,"original_price":199,"lowest_price_7d":59.9}"#),
      Example("<p>划线价为本店2026年3月的售价</p>", feed: #"{"price":59.9,"original_price":89,"lowest_price_7d":59.9}"#),
      Example("<p>新款上市价259元（9月12日发售）</p>", feed: #"{"price":199,"original_price":259,"lowest_price_7d":199}"#),
      Example("<p>2025.11 首发价399，现价299</p>", feed: #"{"price":299,"original_price":399,"lowest_price_7d":299}"#),
      Example("<p>定价68元（以图书封底定价为准）</p>", feed: #"{"price":29.9,"original_price":68,"lowest_price_7d":29.9}"#),
    ],
    source: #filePath)

  let terms: RegisteredTerms<ReferenceBasis>

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    let listing = context.listing
    guard let reference = listing.originalPrice, let lowest = listing.lowestPrice7d, reference > lowest + 0.005,
      !ReferenceBasis.isStated(context, terms: terms)
    else { return }
    sink.report(
      description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context),
      detail: "（\(PriceText.format(lowest))）")
  }
}
