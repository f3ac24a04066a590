import ListingParser

/// A stated discount that the prices do not add up to: `原价100 5折 现价80`.
///
/// 规定 art 19(3) makes a false discount price fraud. The tolerance — ¥1 or 1 %, whichever is larger — is our
/// design, resting on art 21(3) (rounding is not fraud); a price *lower* than the discount promises is never reported.
/// `X折` pays X/10 (8.5折 = 85折 = 85 %), `对折`/`半价` pay half, `N% off` pays 100−N %, `立减N` takes N off.
struct DiscountArithmeticRule: Rule {
  static let description = RuleDescription(
    id: "price_discount_arithmetic", area: .pricing, severity: .error, title: "Discount Does Not Add Up",
    message: "折扣「{evidence}」与价格不符：{detail}。虚构折扣属价格欺诈，请按实际折扣标示，或更正价格。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十九条第（三）项", grade: .confirmed),
    failingExamples: [
      Example("<p>原价100元，限时5折，现价80元</p>"),
      Example("<p>专柜价¥299 全场7折</p>", feed: #"{"price":259}"#),
      Example("<p>原价200，立减50，到手价180</p>"),
    ],
    passingExamples: [
      Example("<p>原价100元，5折，现价50元</p>"),
      Example("<p>原价100元，8.5折，到手价84.5元</p>"),
      Example("<p>原价100元，5折，现价45元</p>"),
      Example("<p>可折叠设计，附赠折扣券一张</p>", feed: #"{"price":99}"#),
      Example("<p>全场5折起</p>", feed: #"{"price":99,"original_price":100}"#),
    ],
    source: #filePath)

  var description: RuleDescription { Self.description }
  let triggers: TermIndex.SetID

  init(index: inout TermIndex.Builder) {
    triggers = index.register(["折", "% off", "%off", "立减", "半价"])
  }

  private static let rate = try! ICURegex(
    #"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*折(?![叠扣合算旧起])|([一二两三四五六七八九])折(?![叠扣合算旧起])|(对折|半价)(?!起)|(\d{1,2})\s*%\s*off"#, caseInsensitive: false)
  private static let cut = try! ICURegex(#"立减\s*¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let reference = try! ICURegex(
    #"(原价|划线价|市场价|专柜价|吊牌价|日常价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let actual = try! ICURegex(
    #"(现价|到手价|折后价|活动价|秒杀价|特价|售价|仅需|只要|券后价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let numerals: [String: Double] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    for block in context.blocks(withHitsOf: triggers) {
      let text = context.normalized[block]
      let referencePrice = Self.firstAmount(Self.reference, in: text) ?? context.listing.originalPrice
      let actualPrice = Self.firstAmount(Self.actual, in: text) ?? context.listing.price
      guard let referencePrice, let actualPrice else { continue }
      var claims: [(range: Range<Int>, expected: Double)] = []
      for groups in Self.rate.matches(in: text.bytes) {
        if let paid = Self.paidFraction(groups, in: text), let range = groups[0] {
          claims.append((range, referencePrice * paid))
        }
      }
      for groups in Self.cut.matches(in: text.bytes) {
        if let range = groups[0], let amount = groups[1].flatMap({ Double(text.string($0)) }) {
          claims.append((range, referencePrice - amount))
        }
      }
      for claim in claims {
        let excess = actualPrice - claim.expected
        guard excess >= max(1, claim.expected * 0.01) else { continue }
        let original = context.original(block: block, start: claim.range.lowerBound, end: claim.range.upperBound)
        sink.report(
          description, evidence: original.text, at: original.location,
          detail: "按\(PriceText.format(referencePrice))计应为\(PriceText.format(claim.expected))，实际为\(PriceText.format(actualPrice))")
      }
    }
  }

  /// The fraction of the reference price a discount claim says the shopper pays, from the groups of a `rate` match.
  static func paidFraction(_ groups: [Range<Int>?], in text: NormalizedText) -> Double? {
    if let digits = groups[1], let value = Double(text.string(digits)) {
      guard value > 0 else { return nil }
      return value < 10 ? value / 10 : value / 100
    }
    if let numeral = groups[2] { return numerals[text.string(numeral)].map { $0 / 10 } }
    if groups[3] != nil { return 0.5 }
    if let percent = groups[4], let off = Double(text.string(percent)) { return 1 - off / 100 }
    return nil
  }

  /// The amount in the last group of the first match.
  static func firstAmount(_ regex: ICURegex, in text: NormalizedText) -> Double? {
    guard let groups = regex.firstMatch(in: text.bytes), let amount = groups.last ?? nil else { return nil }
    return Double(text.string(amount))
  }
}
