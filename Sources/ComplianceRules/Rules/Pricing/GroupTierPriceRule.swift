import ListingParser

/// 拼团 tiers must get cheaper as the group grows and stay below the single-buyer price.
///
/// A tier that costs more than a smaller group or than buying alone misleads about the saving the group brings
/// (规定 art 6 requires each condition with its price; art 19(4) forbids misleading price conditions). A tier of one
/// person is buying alone: PDD-style stores list `1人¥16.90 / 2人¥12.90` and put the group price in the feed's
/// `price`, so the one-person tier, where there is one, is the single-buyer price the groups are held to. Without one,
/// a feed `price` equal to a tier's is that tier's price (the group price the card shows), not a single-buyer price:
/// the feed then says nothing of buying alone, and only the tiers are held to each other.
struct GroupTierPriceRule: CodedRule {
  static let description = RuleDescription(
    id: "price_tiers_inconsistent", area: .pricing, severity: .error, title: "Group Tier Prices Inconsistent",
    message: "拼团阶梯价{evidence}不合理：{detail}。成团人数越多价格应越低，且应低于单买价，否则“拼团优惠”具有误导性。请更正阶梯价格。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第六条、第十九条第（四）项", grade: .confirmed),
    failingExamples: [
      Example("", feed: #"{"price":29.9,"group_tiers":[{"min_people":3,"price":19.9},{"min_people":10,"price":21.9}]}"#),
      Example("", feed: #"{"price":29.9,"group_tiers":[{"min_people":2,"price":32}]}"#),
      Example(
        "", feed: #"{"price":12.9,"group_tiers":[{"min_people":1,"price":16.9},{"min_people":2,"price":17.9}]}"#),
      Example(
        "", feed: #"{"price":9.9,"group_tiers":[{"min_people":1,"price":9.9},{"min_people":3,"price":9.9}]}"#),
      // The feed's price is the 2-person price, and the 5-person tier costs more than it.
      Example("", feed: #"{"price":8.8,"group_tiers":[{"min_people":2,"price":8.8},{"min_people":5,"price":9.5}]}"#),
    ],
    passingExamples: [
      Example("", feed: #"{"price":29.9,"group_tiers":[{"min_people":3,"price":19.9},{"min_people":10,"price":16.9}]}"#),
      Example("", feed: #"{"price":29.9}"#),
      Example(
        "",
        feed: #"{"price":12.9,"group_tiers":[{"min_people":1,"price":16.9},{"min_people":2,"price":12.9},"#
          + #"{"min_people":5,"price":10.9}]}"#),
      Example("", feed: #"{"price":69,"group_tiers":[{"min_people":1,"price":89},{"min_people":2,"price":69}]}"#),
      // The feed's price is the 3-person price the card shows; buying alone is priced on the page.
      Example("<p>一个人买16.9，叫上邻居3人成团每人12.9</p>", feed: #"{"price":12.9,"group_tiers":[{"min_people":3,"price":12.9}]}"#),
      Example("", feed: #"{"price":8.8,"group_tiers":[{"min_people":2,"price":8.8},{"min_people":5,"price":7.5}]}"#),
    ],
    source: #filePath)

  init(terms: RegisteredTerms<NoTerms>) {}

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    let listed = context.listing.groupTiers.sorted { $0.minPeople < $1.minPeople }
    let tiers = listed.filter { $0.minPeople > 1 }
    guard !tiers.isEmpty else { return }
    var problems: [String] = []
    let feedPrice = context.listing.price.flatMap { price in
      tiers.contains { abs($0.price - price) < 0.005 } ? nil : price
    }
    if let single = listed.first(where: { $0.minPeople <= 1 })?.price ?? feedPrice {
      for tier in tiers where tier.price >= single - 0.005 {
        problems.append("\(tier.minPeople)人团\(PriceText.format(tier.price))不低于单买价\(PriceText.format(single))")
      }
    }
    for (smaller, larger) in zip(tiers, tiers.dropFirst()) where larger.minPeople > smaller.minPeople && larger.price >= smaller.price - 0.005 {
      problems.append("\(larger.minPeople)人团\(PriceText.format(larger.price))不低于\(smaller.minPeople)人团\(PriceText.format(smaller.price))")
    }
    guard !problems.isEmpty else { return }
    let evidence = listed.map { "\($0.minPeople)人\(PriceText.format($0.price))" }.joined(separator: " / ")
    var location = context.recordLocation
    location.scope = .feedRecord
    sink.report(description, evidence: evidence, at: location, detail: problems.joined(separator: "；"))
  }
}
