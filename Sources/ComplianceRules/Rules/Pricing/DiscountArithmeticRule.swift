import ListingParser

/// A stated discount that the prices do not add up to: `原价100 5折 现价80`.
///
/// 规定 art 19(3) makes a false discount price fraud. The tolerance — ¥1 or 1 %, whichever is larger — is our
/// design, resting on art 21(3) (rounding is not fraud); a price *lower* than the discount promises is never reported.
/// `X折` pays X/10 (8.5折 = 85折 = 85 %; in Chinese numerals 七折 = 70 %, 七五折 = 75 %, 七点五折 = 75 %), `对折`/`半价`
/// pay half, `N% off` pays 100−N %, `立减N` takes N off.
///
/// A discount that the same clause ties to a quantity or buyer condition (`第二件半价`, `买3件享7折`, `满199元8折`,
/// `会员9折`, `前100名半价`) is a different price for a different condition (art 6), not the single-unit price: it is
/// not checked against the feed's price.
struct DiscountArithmeticRule: CodedRule {
  static let description = RuleDescription(
    id: "price_discount_arithmetic", area: .pricing, severity: .error, title: "Discount Does Not Add Up",
    message: "折扣「{evidence}」与价格不符：{detail}。虚构折扣属价格欺诈，请按实际折扣标示，或更正价格。",
    citation: Citation(law: "明码标价和禁止价格欺诈规定", article: "第十九条第（三）项", grade: .confirmed),
    failingExamples: [
      Example("<p>原价100元，限时5折，现价80元</p>"),
      Example("<p>专柜价¥299 全场7折</p>", feed: #"{"price":259}"#),
      Example("<p>原价200，立减50，到手价180</p>"),
      Example("<p>全场七五折</p>", feed: #"{"price":85,"original_price":100}"#),
      Example("<p>第二件半价；原价100元，全场5折，现价80元</p>"),
      Example("<p>买2件打8折！每件59，2件一共只要108</p>", feed: #"{"price":59}"#),
      Example("<p>4袋7折，单价25，4袋合计78元</p>", feed: #"{"price":25}"#),
      Example("<p>团购价120，再打九折，到手只要115</p>", feed: #"{"price":120,"original_price":160}"#),
      Example("<p>满100减20，再用8.5折券，三盒到手只要99</p>", feed: #"{"price":45,"original_price":60}"#),
      Example("<p>第二件半价，两件共计99</p>", feed: #"{"price":59}"#),
    ],
    passingExamples: [
      Example("<p>原价100元，5折，现价50元</p>"),
      Example("<p>原价100元，8.5折，到手价84.5元</p>"),
      Example("<p>原价100元，5折，现价45元</p>"),
      Example("<p>可折叠设计，附赠折扣券一张</p>", feed: #"{"price":99}"#),
      Example("<p>全场5折起</p>", feed: #"{"price":99,"original_price":100}"#),
      Example("<p>全场七五折</p>", feed: #"{"price":75,"original_price":100}"#),
      Example("<p>会员九五折</p>", feed: #"{"price":95,"original_price":100}"#),
      Example("<p>限时八八折</p>", feed: #"{"price":88,"original_price":100}"#),
      Example("<p>全场七点五折</p>", feed: #"{"price":75,"original_price":100}"#),
      Example("<p>第二件半价</p>", feed: #"{"price":59.9,"original_price":69.9,"lowest_price_7d":69.9}"#),
      Example("<p>买3件享7折</p>", feed: #"{"price":59.9,"original_price":69.9,"lowest_price_7d":69.9}"#),
      Example("<p>第二件8折</p>", feed: #"{"price":59.9,"original_price":69.9}"#),
      Example("<p>满2件，再享8折</p>", feed: #"{"price":59.9,"original_price":69.9}"#),
      Example("<p>满199元立减50</p>", feed: #"{"price":159,"original_price":199}"#),
      Example("<p>前100名下单5折</p>", feed: #"{"price":59.9,"original_price":69.9}"#),
      Example("<p>买2件打8折！每件59，2件一共只要94.4</p>", feed: #"{"price":59}"#),
      Example("<p>活动价150，再打8折，到手120</p>", feed: #"{"price":150,"original_price":299}"#),
      Example("<p>秒杀价再打9折，到手只要89</p>", feed: #"{"price":99,"original_price":199}"#),
      Example("<p>满100减20，再用8.5折券，三盒到手只要97.75</p>", feed: #"{"price":45,"original_price":60}"#),
      Example("<p>第二件半价，两件共计88.5</p>", feed: #"{"price":59}"#),
      Example("<p>满300减40，再叠加9折，两件到手仅需234</p>", feed: #"{"price":150,"original_price":199}"#),
    ],
    source: #filePath)

  enum Terms: Int, TermLists {
    /// Words every discount claim contains: only blocks with one are read.
    case triggers
    var words: [String] { ["折", "% off", "%off", "立减", "半价"] }
  }
  let terms: RegisteredTerms<Terms>

  private static let rate = try! ICURegex(
    #"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*折(?![叠扣合算旧起])|(?<![零〇一二两三四五六七八九十点])([一二两三四五六七八九])(?:点?([一二三四五六七八九]))?折(?![叠扣合算旧起])|(对折|半价)(?!起)|(\d{1,2})\s*%\s*off"#,
    caseInsensitive: false)
  /// A quantity, threshold or buyer condition: the discount after it is for that condition, not for one unit.
  private static let condition = try! ICURegex(
    #"第\s*[二两三四五六七八九十\d]+\s*(件|份|个|瓶|盒|袋|箱|单)|(买|购|拍|任选|任意)\s*([2-9]|[1-9]\d+|[二两三四五六七八九十])\s*(件|份|个|瓶|盒|袋|箱|套)|(?<![\d.])([2-9]|[1-9]\d+)\s*(件|份|瓶|盒|袋|箱|套)(?![装套])|[两三四五六七八九十]\s*(件|份|瓶|盒|袋|箱|套)(?![装套])|满\s*[\d一二两三四五六七八九十]|任选|加购|前\s*(\d+|[一二三四五六七八九十百千]+)\s*(名|位)|会员|vip|新人|首单|新客|老客|团购|拼团|\d+\s*人团"#,
    caseInsensitive: false)
  /// Words between a condition clause and its discount: `满2件，再享8折`.
  private static let connective = try! ICURegex(
    #"^\s*(即|可|再|立|就|均|都|全部|一律|还)?\s*(享受|享|打|减|立减)?\s*$"#, caseInsensitive: false)
  private static let clauseSeparators: Set<UInt8> = [
    UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "\n"),
  ]
  /// `。` in UTF-8.
  private static let fullStop: [UInt8] = [0xE3, 0x80, 0x82]
  private static let cut = try! ICURegex(#"立减\s*¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let reference = try! ICURegex(
    #"(原价|划线价|市场价|专柜价|吊牌价|日常价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let actual = try! ICURegex(
    #"(现价|到手价|折后价|活动价|秒杀价|特价|售价|仅需|只要|券后价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let numerals: [String: Double] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    for block in context.blocks(withHitsOf: terms[.triggers]) {
      let text = context.normalized[block]
      let referencePrice = Self.firstAmount(Self.reference, in: text) ?? context.listing.originalPrice
      let actualPrice = Self.firstAmount(Self.actual, in: text) ?? context.listing.price
      var claims: [(range: Range<Int>, expected: Double)] = []
      for groups in Self.rate.matches(in: text.bytes) {
        guard let paid = Self.paidFraction(groups, in: text), let range = groups[0] else { continue }
        // An offer stated in full is checked on the base it names, whatever its conditions.
        if let offer = OfferArithmetic.reading(
          claim: range, rate: paid, in: text.bytes, unitPrice: context.listing.price)
        {
          report(
            offer.total, expected: offer.expected, base: offer.base, claim: range, block: block, in: context, &sink)
          continue
        }
        if let referencePrice { claims.append((range, referencePrice * paid)) }
      }
      guard let referencePrice, let actualPrice else { continue }
      for groups in Self.cut.matches(in: text.bytes) {
        if let range = groups[0], let amount = groups[1].flatMap({ Double(text.string($0)) }) {
          claims.append((range, referencePrice - amount))
        }
      }
      for claim in claims where !Self.isConditional(text.bytes, before: claim.range.lowerBound) {
        report(
          actualPrice, expected: claim.expected, base: PriceText.format(referencePrice), claim: claim.range,
          block: block, in: context, &sink)
      }
    }
  }

  /// Reports a claim whose price exceeds what its discount promises by more than rounding: ¥1 or 1 %.
  private func report(
    _ actual: Double, expected: Double, base: String, claim: Range<Int>, block: Int, in context: ListingContext,
    _ sink: inout FindingSink
  ) {
    guard actual - expected >= max(1, expected * 0.01) else { return }
    let original = context.original(block: block, start: claim.lowerBound, end: claim.upperBound)
    sink.report(
      description, evidence: original.text, at: original.location,
      detail: "按\(base)计应为\(PriceText.format(expected))，实际为\(PriceText.format(actual))")
  }

  /// The fraction of the reference price a discount claim says the shopper pays, from the groups of a `rate` match.
  static func paidFraction(_ groups: [Range<Int>?], in text: NormalizedText) -> Double? {
    if let digits = groups[1], let value = Double(text.string(digits)) {
      guard value > 0 else { return nil }
      return value < 10 ? value / 10 : value / 100
    }
    if let numeral = groups[2], let tens = numerals[text.string(numeral)] {
      // 七五折 and 七点五折 are 75 %; the second numeral is never read alone.
      if let second = groups[3] {
        guard let units = numerals[text.string(second)] else { return nil }
        return (tens * 10 + units) / 100
      }
      return tens / 10
    }
    if groups[4] != nil { return 0.5 }
    if let percent = groups[5], let off = Double(text.string(percent)) { return 1 - off / 100 }
    return nil
  }

  /// Whether the discount starting at `start` is tied to a condition: one earlier in its clause (`买3件享7折`), or
  /// one in the clause before when only a connective stands between (`满2件，再享8折`). Clauses end at `，；！？` and
  /// sentences at `。` and line ends; a condition is not looked for past a sentence end.
  static func isConditional(_ bytes: [UInt8], before start: Int) -> Bool {
    func clauseStart(_ end: Int) -> (start: Int, sentenceEnd: Bool) {
      var index = end
      while index > 0 {
        let byte = bytes[index - 1]
        if clauseSeparators.contains(byte) { return (index, byte == UInt8(ascii: "\n")) }
        if index >= 3, bytes[(index - 3)..<index].elementsEqual(fullStop) { return (index, true) }
        index -= 1
      }
      return (0, true)
    }
    let clause = clauseStart(start)
    let prefix = Array(bytes[clause.start..<start])
    if condition.firstMatch(in: prefix) != nil { return true }
    guard !clause.sentenceEnd, clause.start > 0, connective.firstMatch(in: prefix) != nil else { return false }
    let previous = clauseStart(clause.start - 1)
    return condition.firstMatch(in: Array(bytes[previous.start..<(clause.start - 1)])) != nil
  }

  /// The amount in the last group of the first match.
  static func firstAmount(_ regex: ICURegex, in text: NormalizedText) -> Double? {
    guard let groups = regex.firstMatch(in: text.bytes), let amount = groups.last ?? nil else { return nil }
    return Double(text.string(amount))
  }
}
