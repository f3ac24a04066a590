import ListingParser

/// A 划线价 below the selling price is no saving at all, yet the strike-through says there is one.
///
/// A 划线价 equal to the price is left alone: art 19(3) forbids a false or misleading 减价 or 价格比较, and an equal
/// figure claims a reduction of nothing. Feeds fill `original_price` with the price when there is no comparison, and
/// a shop's "market-price" slot repeating the price shows the shopper no saving to be misled by.
struct ReferencePriceNotHigherRule: CodedRule {
  static let description = RuleDescription(
    id: "price_reference_not_higher", area: .pricing, severity: .warning, title: "Reference Price Not Above Price",
    message: "划线价{evidence}不高于售价{detail}，划线展示却暗示优惠，属虚假的价格比较。请删除划线价，或核实并更正价格。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十九条第（三）项", grade: .confirmed),
    failingExamples: [
      Example("", feed: #"{"price":99,"original_price":89}"#),
      Example(#"<p><span class="price">¥35</span><del>¥32</del></p>"#, feed: #"{"price":35,"original_price":32}"#),
    ],
    passingExamples: [
      Example("", feed: #"{"price":99,"original_price":129,"lowest_price_7d":99}"#), Example("", feed: #"{"price":99}"#),
      // Equal figures claim no reduction (the feed repeats the price where there is no comparison).
      Example("", feed: #"{"price":29.9,"original_price":29.9,"lowest_price_7d":29.9}"#),
      Example(#"<p><span class="price">¥12.50</span><span class="market-price">¥12.50</span></p>"#, feed: #"{"price":12.5,"original_price":12.5}"#),
    ],
    source: #filePath)

  init(terms: RegisteredTerms<NoTerms>) {}

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let price = context.listing.price, let reference = context.listing.originalPrice, reference < price - 0.005 else { return }
    sink.report(
      description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context),
      detail: "（\(PriceText.format(price))）")
  }
}
