import Foundation

/// Reading prices out of merchant text: `¥29.9`, `￥ 1,299.00`, `29.90元`.
enum PriceText {
  private static let number = try! ICURegex(
    #"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d.])"#, caseInsensitive: false)
  /// What a number followed by one of these counts or measures rather than costs. `万` closes a sales count beside
  /// the price (`已团 1.2万件`, `月销10万+`), which no price block states in tens of thousands of yuan. Not `包`: a
  /// price is followed by 包邮.
  private static let units: Set<Unicode.Scalar> = [
    "人", "件", "折", "%", "g", "G", "克", "斤", "个", "天", "小", "m", "k", "K", "期", "年", "月", "日", "号", "位", "次", "份",
    "箱", "袋", "盒", "万", "枚", "只", "瓶", "支", "片", "罐", "粒", "颗", "双", "套", ":", "：",
  ]

  /// Two prices in adjoining elements read as one run (`<span>￥19.9</span><span>9.9为…</span>` gives `￥19.99.9为…`):
  /// split where only one reading makes two prices, a one-decimal price and a one-digit one (19.9 and 9.9).
  private static let glued = try! ICURegex(#"(?<![\d.])(\d+\.\d)(\d\.\d{1,2})(?![\d.])"#, caseInsensitive: false)

  /// Money amounts in `text`, in order; numbers that are counts or units (`3人团`, `500g`, `8.5折`, `30%`) are skipped.
  static func amounts(in utf8: [UInt8]) -> [Double] { located(in: utf8).map(\.value) }

  /// The amounts with where each stands in `utf8`.
  static func located(in utf8: [UInt8]) -> [(value: Double, range: Range<Int>)] {
    var found: [(value: Double, range: Range<Int>)] = []
    var numbers = number.matches(in: utf8).compactMap { $0[0] }
    for groups in glued.matches(in: utf8) {
      guard let first = groups[1], let second = groups[2] else { continue }
      numbers.append(first)
      numbers.append(second)
    }
    for range in numbers.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      let rest = String(decoding: utf8[range.upperBound...].prefix(4), as: UTF8.self)
      if let next = rest.unicodeScalars.first, units.contains(next) { continue }
      let raw = String(decoding: utf8[range].filter { $0 != UInt8(ascii: ",") }, as: UTF8.self)
      if let value = Double(raw) { found.append((value, range)) }
    }
    return found
  }

  /// `¥29.90`, for messages.
  static func format(_ value: Double) -> String { String(format: "¥%.2f", value) }
}
