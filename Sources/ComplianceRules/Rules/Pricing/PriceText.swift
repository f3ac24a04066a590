import Foundation

/// Reading prices out of merchant text: `¥29.9`, `￥ 1,299.00`, `29.90元`.
enum PriceText {
  private static let number = try! ICURegex(
    #"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d.])"#, caseInsensitive: false)
  /// What a number followed by one of these counts or measures rather than costs. `万` closes a sales count beside
  /// the price (`已团 1.2万件`, `月销10万+`), which no price block states in tens of thousands of yuan.
  private static let units: Set<Unicode.Scalar> = [
    "人", "件", "折", "%", "g", "G", "克", "斤", "个", "天", "小", "m", "k", "K", "期", "年", "月", "日", "号", "位", "次", "份",
    "箱", "袋", "盒", "万", ":", "：",
  ]

  /// Money amounts in `text`, in order; numbers that are counts or units (`3人团`, `500g`, `8.5折`, `30%`) are skipped.
  static func amounts(in utf8: [UInt8]) -> [Double] {
    var values: [Double] = []
    for groups in number.matches(in: utf8) {
      guard let range = groups[0] else { continue }
      let rest = String(decoding: utf8[range.upperBound...].prefix(4), as: UTF8.self)
      if let next = rest.unicodeScalars.first, units.contains(next) { continue }
      let raw = String(decoding: utf8[range].filter { $0 != UInt8(ascii: ",") }, as: UTF8.self)
      if let value = Double(raw) { values.append(value) }
    }
    return values
  }

  /// `¥29.90`, for messages.
  static func format(_ value: Double) -> String { String(format: "¥%.2f", value) }
}
