import ListingParser

/// A 划线价 with neither the 7-day low to check it against nor any statement of what it is.
struct ReferencePriceUnverifiedRule: CodedRule {
  static let description = RuleDescription(
    id: "price_reference_unverified", area: .pricing, severity: .info, title: "Reference Price Without Basis",
    message: "划线价{evidence}未说明依据，且目录未提供前7日最低成交价（lowest_price_7d）。未标明的被比较价格须不高于前7日内最低成交价：请在目录中提供该价格以便核对，或在页面写明划线价的含义。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十六条", grade: .confirmed),
    failingExamples: [
      Example("<p>今日下单立享优惠</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>图片仅供参考，请以实物为准</p>", feed: #"{"price":99,"original_price":199}"#),
      // A price word in another sentence, or too far before, does not make 仅供参考 speak of it.
      Example("<p>价格实惠。图片仅供参考</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>价格实惠；图片仅供参考</p>", feed: #"{"price":99,"original_price":199}"#),
      Example(
        "<p>价格以下单页为准，本店所有商品均为正品，发货前逐件检查包装与配件是否齐全，颜色与图片略有差异图片仅供参考</p>",
        feed: #"{"price":99,"original_price":199}"#),
    ],
    passingExamples: [
      Example("<p>划线价为厂商建议零售价</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>划线价为参考价，仅供参考</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>图片仅供参考。以上价格仅供参考</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("", feed: #"{"price":99,"original_price":199,"lowest_price_7d":99}"#),
      Example("", feed: #"{"price":99}"#),
    ],
    source: #filePath)

  let terms: RegisteredTerms<ReferenceBasis>

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    let listing = context.listing
    guard let reference = listing.originalPrice, listing.lowestPrice7d == nil,
      reference > (listing.price ?? 0) + 0.005,
      !ReferenceBasis.isStated(context, terms: terms)
    else { return }
    sink.report(description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context))
  }
}
