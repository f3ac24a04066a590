/// The arithmetic of an offer stated in full — a quantity, a unit price, a 满减 cut, a rate, and the total the text
/// promises for them — so that a discount is checked against the base the text names, not the feed's 划线价.
///
/// `3件7折，单件89，3件合计199` (89 × 3 × 0.7 = 186.9); `满200减30，再叠加9折券，两套到手198` ((139 × 2 − 30) × 0.9);
/// `活动价199，再打8折，到手159` (199 × 0.8: the 折 applies to the promotion price); `第二件半价，两件一共104.85`
/// (69.9 + 69.9 × 0.5). An offer with no stated total is not read here.
enum OfferArithmetic {
  /// What the text promises to charge, and what its own numbers come to.
  struct Reading: Equatable {
    var total: Double
    var expected: Double
    /// How the base was reached (`¥89.00×3`, `(¥139.00×2−¥30.00)`), for the message.
    var base: String
  }

  /// The total promised after the claim: 到手198, 合计只要199, 一共104.85.
  private static let total = try! ICURegex(
    #"(到手|合计|一共|共计|总共|总价|只要|仅需|只需)\s*(价|只要|仅需|只需|才)?\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)(?![\d.]*\s*[件套袋盒瓶份个箱折%])"#,
    caseInsensitive: false)
  /// A count of items: 3件, 两套, 2袋.
  private static let quantity = try! ICURegex(
    #"(?<![\d.第])(\d{1,2}|[两二三四五六七八九十])\s*(件|套|袋|盒|瓶|份|箱|支|包)"#, caseInsensitive: false)
  /// A price for one item, or the promotion price a further discount applies to.
  private static let unit = try! ICURegex(
    #"(单件|单价|每件|每套|每袋|每盒|一件|一套|活动价|秒杀价|特价|团购价|折后价|券后价|现价|售价|到手价)\s*[:：]?\s*¥?\s*(\d+(?:\.\d{1,2})?)"#,
    caseInsensitive: false)
  /// A further discount on a price already reduced: 再打8折, 再叠加9折券, 再享.
  private static let stacked = try! ICURegex(#"(再|叠加|额外)[^,;!?]{0,6}$"#, caseInsensitive: false)
  private static let cut = try! ICURegex(#"满\s*(\d+)\s*元?\s*(减|立减)\s*(\d+(?:\.\d{1,2})?)"#, caseInsensitive: false)
  private static let secondItem = try! ICURegex(#"第\s*(二|2)\s*(件|套|份|瓶|盒|袋)\s*$"#, caseInsensitive: false)
  private static let numerals: [String: Double] = ["两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10]
  private static let sentenceEnds: [[UInt8]] = [[0xE3, 0x80, 0x82], [UInt8(ascii: "\n")]]

  /// The offer around the rate claim at `claim` (paying `rate` of the base), when its sentence states a total after
  /// it; `unitPrice` is the listing's own price, the base when the text names none.
  static func reading(claim: Range<Int>, rate: Double, in bytes: [UInt8], unitPrice: Double?) -> Reading? {
    let sentence = sentenceRange(around: claim, in: bytes)
    let after = Array(bytes[claim.upperBound..<sentence.upperBound])
    guard let totalGroups = total.firstMatch(in: after), let totalRange = totalGroups[3], let totalStart = totalGroups[0],
      let promised = Double(String(decoding: after[totalRange], as: UTF8.self))
    else { return nil }
    let before = Array(bytes[sentence.lowerBound..<claim.lowerBound])
    let upToTotal = before + after[..<totalStart.lowerBound]
    let isSecondItem = secondItem.firstMatch(in: before) != nil
    let isStacked = stacked.firstMatch(in: before) != nil
    // The count the total is for: the last one stated before the total (两套到手, 3件合计), else the condition's.
    let count = quantity.matches(in: upToTotal).compactMap { groups -> Double? in
      guard let number = groups[1] else { return nil }
      let text = String(decoding: upToTotal[number], as: UTF8.self)
      return Double(text) ?? numerals[text]
    }.last ?? (isSecondItem ? 2 : 1)
    let named = unit.matches(in: upToTotal).last.flatMap { groups in
      groups[2].flatMap { Double(String(decoding: upToTotal[$0], as: UTF8.self)) }
    }
    // A single item at a rate of a named reference (原价99，8折，只要79) is the rule's ordinary case.
    guard count > 1 || isStacked || named != nil, let base = named ?? unitPrice, base > 0 else { return nil }
    if isSecondItem {
      guard count == 2 else { return nil }
      return Reading(
        total: promised, expected: base + base * rate, base: "\(PriceText.format(base))+第二件")
    }
    var subtotal = base * count
    var basis = count > 1 ? "\(PriceText.format(base))×\(Int(count))" : PriceText.format(base)
    for groups in cut.matches(in: upToTotal) {
      guard let threshold = groups[1].flatMap({ Double(String(decoding: upToTotal[$0], as: UTF8.self)) }),
        let amount = groups[3].flatMap({ Double(String(decoding: upToTotal[$0], as: UTF8.self)) }),
        subtotal >= threshold
      else { continue }
      subtotal -= amount
      basis = "(\(basis)−\(PriceText.format(amount)))"
    }
    return Reading(total: promised, expected: subtotal * rate, base: basis)
  }

  /// The sentence holding `claim`: from the previous `。` or line end to the next.
  static func sentenceRange(around claim: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
    var start = claim.lowerBound
    while start > 0, !sentenceEnds.contains(where: { bytes.has($0, at: start - $0.count) }) { start -= 1 }
    var end = claim.upperBound
    while end < bytes.count, !sentenceEnds.contains(where: { bytes.has($0, at: end) }) { end += 1 }
    return start..<end
  }
}
