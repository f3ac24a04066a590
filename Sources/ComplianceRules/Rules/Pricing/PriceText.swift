import Foundation

/// Reading prices out of merchant text: `¥29.9`, `￥ 1,299.00`, `29.90元`.
enum PriceText {
  private static let number = try! NSRegularExpression(pattern: #"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d.])"#)

  /// Money amounts in `text`, in order; numbers that are counts or units (`3人团`, `500g`, `8.5折`, `30%`) are skipped.
  static func amounts(in text: String) -> [Double] {
    let ns = text as NSString
    var values: [Double] = []
    for match in number.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
      let end = match.range.location + match.range.length
      let next = end < ns.length ? ns.substring(with: NSRange(location: end, length: 1)) : ""
      if ["人", "件", "折", "%", "g", "G", "克", "斤", "个", "天", "小", "ml", "m", "k", "K", "期", "年", "月", "日", "号", "位", "次", "份", "箱", "袋", "盒", ":", "："].contains(next) {
        continue
      }
      let raw = ns.substring(with: match.range).replacingOccurrences(of: ",", with: "")
      if let value = Double(raw) { values.append(value) }
    }
    return values
  }

  /// `¥29.90`, for messages.
  static func format(_ value: Double) -> String { String(format: "¥%.2f", value) }
}
