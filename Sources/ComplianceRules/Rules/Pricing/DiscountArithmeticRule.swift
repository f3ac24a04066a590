import Foundation
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

  private static let rate = try! NSRegularExpression(
    pattern: #"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*折(?![叠扣合算旧起])|([一二两三四五六七八九])折(?![叠扣合算旧起])|(对折|半价)(?!起)|(\d{1,2})\s*%\s*off"#)
  private static let cut = try! NSRegularExpression(pattern: #"立减\s*¥?\s*(\d+(?:\.\d{1,2})?)"#)
  private static let reference = try! NSRegularExpression(
    pattern: #"(原价|划线价|市场价|专柜价|吊牌价|日常价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#)
  private static let actual = try! NSRegularExpression(
    pattern: #"(现价|到手价|折后价|活动价|秒杀价|特价|售价|仅需|只要|券后价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#)
  private static let numerals: [String: Double] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    for block in Set(context.hits(triggers).map(\.block)).sorted() {
      let text = context.normalized[block].string
      let ns = text as NSString
      let whole = NSRange(location: 0, length: ns.length)
      let referencePrice = Self.firstAmount(Self.reference, in: text) ?? context.listing.originalPrice
      let actualPrice = Self.firstAmount(Self.actual, in: text) ?? context.listing.price
      guard let referencePrice, let actualPrice else { continue }
      var claims: [(range: NSRange, expected: Double)] = []
      for match in Self.rate.matches(in: text, range: whole) {
        if let paid = Self.paidFraction(match, in: ns) { claims.append((match.range, referencePrice * paid)) }
      }
      for match in Self.cut.matches(in: text, range: whole) {
        if let amount = Double(ns.substring(with: match.range(at: 1))) {
          claims.append((match.range, referencePrice - amount))
        }
      }
      for claim in claims {
        let excess = actualPrice - claim.expected
        guard excess >= max(1, claim.expected * 0.01) else { continue }
        guard let original = context.original(block: block, matched: claim.range, in: text) else { continue }
        sink.report(
          description, evidence: original.text, at: original.location,
          detail: "按\(PriceText.format(referencePrice))计应为\(PriceText.format(claim.expected))，实际为\(PriceText.format(actualPrice))")
      }
    }
  }

  /// The fraction of the reference price a discount claim says the shopper pays.
  static func paidFraction(_ match: NSTextCheckingResult, in text: NSString) -> Double? {
    if match.range(at: 1).location != NSNotFound, let value = Double(text.substring(with: match.range(at: 1))) {
      guard value > 0 else { return nil }
      return value < 10 ? value / 10 : value / 100
    }
    if match.range(at: 2).location != NSNotFound { return numerals[text.substring(with: match.range(at: 2))].map { $0 / 10 } }
    if match.range(at: 3).location != NSNotFound { return 0.5 }
    if match.range(at: 4).location != NSNotFound, let off = Double(text.substring(with: match.range(at: 4))) {
      return 1 - off / 100
    }
    return nil
  }

  static func firstAmount(_ regex: NSRegularExpression, in text: String) -> Double? {
    let ns = text as NSString
    guard let match = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
    return Double(ns.substring(with: match.range(at: match.numberOfRanges - 1)))
  }
}
