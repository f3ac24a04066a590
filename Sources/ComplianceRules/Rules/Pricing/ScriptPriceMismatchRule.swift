import ListingParser

/// The page's script data (a JSON-LD offer) names a price above the feed's.
///
/// A shopper never reads script data, so it is no price shown (规定 art 20 compares what is displayed): a hint that the
/// structured data is stale — search engines and price tools do read it — never a price mismatch.
struct ScriptPriceMismatchRule: CodedRule {
  static let description = RuleDescription(
    id: "price_script_mismatch", area: .pricing, severity: .info, title: "Script Data Price Above Feed Price",
    message: "页面结构化数据（JSON-LD）中的价格「{evidence}」高于商品卡片/目录价{detail}。消费者看不到该数据，不构成价格不一致，但搜索引擎和比价工具会读取：请同步更新。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第二十条", grade: .confirmed),
    failingExamples: [
      Example(
        #"<script type="application/ld+json">{"@type":"Product","name":"坚果","offers":{"@type":"Offer","price":"19.90"}}</script>"#,
        feed: #"{"price":9.9}"#),
    ],
    passingExamples: [
      Example(
        #"<script type="application/ld+json">{"@type":"Product","offers":{"@type":"Offer","price":"9.90"}}</script>"#,
        feed: #"{"price":9.9}"#),
      Example(
        #"<script type="application/ld+json">{"@type":"Product","offers":{"@type":"Offer","price":"19.90"}}</script>"#),
    ],
    source: #filePath)

  init(terms: RegisteredTerms<NoTerms>) {}

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let feedPrice = context.listing.price else { return }
    for offer in context.offers {
      guard let price = offer.price, price > feedPrice + 0.005 else { continue }
      sink.report(
        description, evidence: PriceText.format(price), at: offer.location, detail: "（\(PriceText.format(feedPrice))）")
    }
  }
}
