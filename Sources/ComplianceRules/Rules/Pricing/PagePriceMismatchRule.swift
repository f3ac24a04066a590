import ListingParser

/// The detail page asks more than the feed (the card or list price the shopper clicked on).
///
/// 明码标价和禁止价格欺诈规定 art 20: the price on a home or list page must not be lower than on the detail page;
/// art 19(2): showing a low price and charging a higher one is price fraud. A page price *lower* than the feed is the
/// shopper's gain (art 21) and is not reported. The same holds tier by tier for 拼团: a page asking more for a group
/// size (`2人拼 ¥17.90`) than the feed's tier for it (16.9) shows the low price on the card and charges the higher.
struct PagePriceMismatchRule: CodedRule {
  static let description = RuleDescription(
    id: "price_page_mismatch", area: .pricing, severity: .error, title: "Page Price Above Feed Price",
    message: "详情页价格「{evidence}」高于商品卡片/目录价{detail}：首页、列表页的价格不得低于详情页（低价招揽、高价结算属价格欺诈）。请统一各处价格，或在卡片上标明价格条件。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第二十条、第十九条第（二）项", grade: .confirmed),
    failingExamples: [
      Example(#"<span class="price">¥109.00</span>"#, feed: #"{"price":99}"#),
      Example(#"<p>3人团 ¥25.90</p>"#, feed: #"{"price":29.9,"group_tiers":[{"min_people":3,"price":22.9}]}"#),
      Example(#"<p>2人拼单￥17.9，单买19.9</p>"#, feed: #"{"price":19.9,"group_tiers":[{"min_people":2,"price":16.9}]}"#),
      // A sales count beside the price (已团 1.2万件) is no price the shopper pays.
      Example(#"<div class="price-block"><span class="price">￥19.9</span><span class="sold">已团 1.2万件</span></div>"#, feed: #"{"price":9.9}"#),
      Example(#"<div class="price"><em>¥59</em> 月销3万+</div>"#, feed: #"{"price":39}"#),
      // The card's price is the accessory's or another pack's, by the page's own note.
      Example(#"<div class="price"><span>￥19.9</span><span>9.9为杯盖配件价</span></div>"#, feed: #"{"price":9.9}"#),
      Example(#"<div class="price"><span>￥49.9</span><p>30枚装（另有15枚装29.9）</p></div>"#, feed: #"{"price":39.9}"#),
    ],
    passingExamples: [
      Example(#"<span class="price">¥99.00</span>"#, feed: #"{"price":99}"#),
      Example(#"<span class="price">¥89.00</span>"#, feed: #"{"price":99}"#),
      Example(#"<div class="price"><span>￥9.9</span><span>19.9为两只装价格</span></div>"#, feed: #"{"price":9.9}"#),
      Example(#"<div class="price"><span>￥29.9</span><span>（加购杯刷另计）</span></div>"#, feed: #"{"price":29.9}"#),
      Example(#"<del class="original-price">¥199</del>"#, feed: #"{"price":99}"#),
      Example(#"<span class="price">¥99.00</span>"#),
      Example(#"<span class="price">¥99.00</span><div class="recommend"><span class="p-price">¥129.00</span></div>"#, feed: #"{"price":99}"#),
      Example(#"<p>3人团 ¥22.90</p>"#, feed: #"{"price":29.9,"group_tiers":[{"min_people":3,"price":22.9}]}"#),
      Example(#"<p>5人团 ¥19.90</p>"#, feed: #"{"price":29.9,"group_tiers":[{"min_people":3,"price":22.9}]}"#),
      Example(
        #"<p>3人团 ¥22.90</p><div class="recommend"><p>3人团 ¥39.90</p></div>"#,
        feed: #"{"price":29.9,"group_tiers":[{"min_people":3,"price":22.9}]}"#),
      // Script data is for machines; the shopper sees the price element (price_script_mismatch gives the hint).
      Example(
        #"<span class="price">¥9.90</span><script type="application/ld+json">{"@type":"Product","offers":{"@type":"Offer","price":"19.90"}}</script>"#,
        feed: #"{"price":9.9}"#),
    ],
    source: #filePath)

  enum Terms: Int, TermLists {
    /// Price labels that do not state the price of this offer (another SKU's range, a deposit, a coupon).
    case unrelated
    /// A group size before a price: `3人团`, `2人拼`.
    case groupPrices
    var words: [String] {
      switch self {
      case .unrelated: ["定金", "订金", "运费", "配送费", "满", "券", "起", "返", "减"]
      case .groupPrices: ["人团", "人拼", "人成团"]
      }
    }
  }
  let terms: RegisteredTerms<Terms>
  /// A group size and the price the page states for it: `3人团 ¥22.9`, `2人拼单￥17.90`.
  private static let groupPrice = try! ICURegex(
    #"(?<!\d)(\d{1,3})\s*人\s*(团|拼|成团)[^\d¥。;,\n]{0,6}¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard let feedPrice = context.listing.price else { return }
    let tolerance = 0.005
    let unrelatedBlocks = Set(context.hits(terms[.unrelated]).map(\.block))
    // Detail pages also show other products' prices (猜你喜欢, 店铺推荐, filter ranges). The page agrees with the
    // feed when it shows the feed price anywhere, or anything lower; only when every price shown is higher is the
    // shopper asked for more than the card said. One finding, at the first price shown.
    var shown: [(block: TextBlock, lowest: Double)] = []
    for (index, block) in context.blocks.enumerated() where block.scope == .price && !unrelatedBlocks.contains(index) {
      if let lowest = Self.offerAmounts(in: block.utf8).min() { shown.append((block, lowest)) }
    }
    if let first = shown.first, shown.allSatisfy({ $0.lowest > feedPrice + tolerance }) {
      sink.report(
        description, evidence: first.block.text, at: first.block.startLocation, detail: "（\(PriceText.format(feedPrice))）")
    }
    checkGroupTiers(context, into: &sink)
  }

  /// Words beside an amount that make it the price of something other than the offer: an accessory, an add-on, a
  /// gift, another pack (`9.9为杯盖配件价`, `另有15枚装29.9`).
  private static let otherItems: [[UInt8]] = ["配件", "加购", "换购", "赠品", "单卖", "另有", "其他规格", "另一规格"].map { Array($0.utf8) }
  /// A price block's clauses also end at spacing, slashes and brackets (`¥59 配件¥9.9`, `¥59(配件另购)`).
  private static let clauseEnds: [[UInt8]] = ["，", ",", "；", ";", "。", "（", "(", "）", ")", "|", "｜", " ", "/"].map { Array($0.utf8) }

  /// The block's amounts that price this offer: an amount whose own clause, before it or after it, names another
  /// item prices that item (art 20(1) compares the card with the price of what it shows, not of an accessory).
  static func offerAmounts(in utf8: [UInt8]) -> [Double] {
    let located = PriceText.located(in: utf8)
    return located.enumerated().compactMap { index, amount in
      let lower = index > 0 ? located[index - 1].range.upperBound : 0
      let upper = index + 1 < located.count ? located[index + 1].range.lowerBound : utf8.count
      let before = ClauseReading.clause(
        endingAt: amount.range.lowerBound, in: utf8, limit: min(24, amount.range.lowerBound - lower),
        separators: clauseEnds)
      let after = ClauseReading.clause(
        startingAt: amount.range.upperBound, in: utf8, limit: min(24, upper - amount.range.upperBound),
        separators: clauseEnds)
      let namesOther = otherItems.contains { before.contains(subsequence: $0) || after.contains(subsequence: $0) }
      return namesOther ? nil : amount.value
    }
  }

  /// Each feed tier against the prices the page states for the same group size: as for the single price, the page
  /// agrees when any of them is at or below the tier.
  private func checkGroupTiers(_ context: ListingContext, into sink: inout FindingSink) {
    guard !context.listing.groupTiers.isEmpty else { return }
    var stated: [Int: [(block: Int, range: Range<Int>, price: Double)]] = [:]
    for block in context.blocks(withHitsOf: terms[.groupPrices]) where context.blocks[block].scope.isDetailPage {
      let text = context.normalized[block]
      for groups in Self.groupPrice.matches(in: text.bytes) {
        guard let whole = groups[0], let people = groups[1].flatMap({ Int(text.string($0)) }),
          let price = groups[3].flatMap({ Double(text.string($0)) })
        else { continue }
        stated[people, default: []].append((block, whole, price))
      }
    }
    for tier in context.listing.groupTiers {
      guard let shown = stated[tier.minPeople], let first = shown.first,
        shown.allSatisfy({ $0.price > tier.price + 0.005 })
      else { continue }
      let original = context.original(block: first.block, start: first.range.lowerBound, end: first.range.upperBound)
      sink.report(
        description, evidence: original.text, at: original.location,
        detail: "（\(tier.minPeople)人团\(PriceText.format(tier.price))）")
    }
  }
}
