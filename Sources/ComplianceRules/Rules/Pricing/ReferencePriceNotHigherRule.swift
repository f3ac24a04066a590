import ListingParser

/// A 划线价 at or below the selling price is no saving at all, yet the strike-through says there is one.
struct ReferencePriceNotHigherRule: CodedRule {
  static let description = RuleDescription(
    id: "price_reference_not_higher", area: .pricing, severity: .warning, title: "Reference Price Not Above Price",
    message: "划线价{evidence}不高于售价{detail}，划线展示却暗示优惠，属虚假的价格比较。请删除划线价，或核实并更正价格。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十九条第（三）项", grade: .confirmed),
    failingExamples: [Example("", feed: #"{"price":99,"original_price":89}"#)],
    passingExamples: [Example("", feed: #"{"price":99,"original_price":129,"lowest_price_7d":99}"#), Example("", feed: #"{"price":99}"#)],
    source: #filePath)

  init(terms: RegisteredTerms<NoTerms>) {}

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let price = context.listing.price, let reference = context.listing.originalPrice, reference <= price else { return }
    sink.report(
      description, evidence: PriceText.format(reference), at: ReferenceBasis.location(context),
      detail: "（\(PriceText.format(price))）")
  }
}
