import Foundation

/// Reads JSON (or CSV-as-strings) values leniently where feeds in the wild disagree, and strictly everywhere else:
/// a price may be `19.9`, `"19.9"` or `"¥19.9"`, but never `"abc"` or `true`.
enum FeedValue {
  /// A JSON `true`/`false`. JSONSerialization gives NSNumbers for both numbers and booleans, and only the
  /// Objective-C type tells them apart (`1` is `is Bool` on Linux too).
  static func isBoolean(_ value: Any) -> Bool {
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
  }

  /// An NSNumber that is a number, not a boolean.
  static func numeric(_ value: Any) -> NSNumber? {
    guard let number = value as? NSNumber, !isBoolean(value) else { return nil }
    return number
  }

  /// A number, or a string holding a plain decimal number with an optional ¥/￥ sign. No exponents, hex, `inf`, `nan`.
  static func number(_ value: Any) -> Double? {
    if let number = numeric(value) {
      let double = number.doubleValue
      return double.isFinite ? double : nil
    }
    guard let string = value as? String else { return nil }
    var text = string.trimming(.whitespaces)
    if let first = text.first, first == "¥" || first == "￥" { text = text.dropFirst().drop { $0 == " " } }
    guard isPlainDecimal(text) else { return nil }
    return Double(text)
  }

  /// The largest amount a price field may hold, ¥100,000,000: above it the value is a slip (fen for yuan twice over,
  /// an id in the wrong column), not a price a rule should reason about.
  static let maxAmount = 100_000_000.0

  /// Why a price-like value is no amount a listing can have — not finite (`1e309`, `"NaN"`), negative, above
  /// `maxAmount` — or nil when it is in range or is no number at all (`number` then reports its type). Strings are
  /// judged by the number they spell, so `"-5"` is negative rather than a wrong type.
  static func amountOutOfRange(_ value: Any) -> String? {
    let amount: Double
    if let number = numeric(value) {
      amount = number.doubleValue
    } else if let string = value as? String {
      var text = string.trimming(.whitespaces)
      if let first = text.first, first == "¥" || first == "￥" { text = text.dropFirst().drop { $0 == " " } }
      guard let parsed = Double(text) else { return nil }
      amount = parsed
    } else {
      return nil
    }
    if !amount.isFinite { return "not a finite number" }
    if amount < 0 { return "a price cannot be negative" }
    if amount > maxAmount { return "above ¥100,000,000, not a plausible price" }
    return nil
  }

  private static func isPlainDecimal(_ text: Substring) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), !parts.allSatisfy(\.isEmpty) else { return false }
    return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
  }

  /// A whole number (an integral JSON number or a string of digits).
  static func integer(_ value: Any) -> Int? {
    if let number = numeric(value) {
      let double = number.doubleValue
      guard double.rounded() == double, abs(double) < 9e15 else { return nil }
      return Int(double)
    }
    guard let string = value as? String else { return nil }
    return Int(string.trimming(.whitespaces))
  }

  /// true/false, 1/0, and the strings "true"/"false"/"1"/"0"/"是"/"否" (any case, surrounding spaces ignored).
  static func bool(_ value: Any) -> Bool? {
    if isBoolean(value), let number = value as? NSNumber { return number.boolValue }
    if let number = numeric(value) {
      switch number.doubleValue {
      case 1: return true
      case 0: return false
      default: return nil
      }
    }
    guard let string = value as? String else { return nil }
    switch string.trimming(.whitespaces).lowercased() {
    case "true", "1", "是": return true
    case "false", "0", "否": return false
    default: return nil
    }
  }

  /// A string, or a number written as text (an `sc_code` or id exported as a number). Booleans, arrays and objects
  /// are not strings.
  static func string(_ value: Any) -> String? {
    if let string = value as? String { return string }
    guard let number = numeric(value) else { return nil }
    return integerText(number) ?? number.stringValue
  }

  /// The digits of an integral number, exactly, even past 2^53 where a Double would round.
  static func integerText(_ number: NSNumber) -> String? {
    switch String(cString: number.objCType) {
    case "Q": return String(number.uint64Value)
    case "q", "l", "i", "s": return String(number.int64Value)
    default:
      let double = number.doubleValue
      guard double.rounded() == double, abs(double) < 9e15 else { return nil }
      return String(Int64(double))
    }
  }

  /// How a wrong value is shown in an issue message: short, and with its JSON type.
  static func describe(_ value: Any) -> String {
    if isBoolean(value), let number = value as? NSNumber { return number.boolValue ? "true" : "false" }
    if let number = numeric(value) { return number.stringValue }
    if let string = value as? String {
      let shown = string.count > 40 ? String(string.prefix(40)) + "…" : string
      return "\"\(shown)\""
    }
    if value is [Any] { return "an array" }
    if value is [String: Any] { return "an object" }
    return String(describing: type(of: value))
  }
}
