/// Check-character algorithms for the identifiers merchants must show.
public enum CheckDigits {
  /// The 31 symbols of GB 32100 (no I, O, S, V, Z).
  static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
  /// W_i = 3^(i−1) mod 31.
  static let usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

  /// GB 32100-2015: C18 = (31 − Σ C_i·W_i mod 31) mod 31. Many published snippets forget the outer mod.
  public static func isValidUSCC(_ code: String) -> Bool {
    let chars = Array(code.uppercased())
    guard chars.count == 18 else { return false }
    var sum = 0
    for index in 0..<17 {
      guard let value = usccAlphabet.firstIndex(of: chars[index]) else { return false }
      sum += value * usccWeights[index]
    }
    guard usccAlphabet.contains(chars[17]) else { return false }
    return usccAlphabet[(31 - sum % 31) % 31] == chars[17]
  }

  /// The shape of a USCC (authority, type, region digits, 31-symbol alphabet) with any letter or digit as the
  /// check character: a wrong check character (even an impossible one, like the standard's own `…Y4Z`) is a
  /// checksum failure, not a malformed code.
  public static func looksLikeUSCC(_ code: String) -> Bool {
    let chars = Array(code.uppercased())
    guard chars.count == 18, "123456789ANY".contains(chars[0]), chars[1].isASCII, chars[1] != "0",
      chars[2..<8].allSatisfy({ $0.isASCII && $0.isNumber })
    else { return false }
    return chars[0..<17].allSatisfy { usccAlphabet.contains($0) } && chars[17].isASCII
      && (chars[17].isLetter || chars[17].isNumber)
  }

  /// ISO 7064 MOD 11,10 over decimal digits: used by the legacy 15-digit 注册号 and, empirically, by most SC and JY
  /// numbers (14 of 19 real SC numbers, 3 of 4 JY), which is why a failure on those is only a hint.
  public static func isValidMod11_10(_ digits: String) -> Bool {
    let values = digits.compactMap { $0.wholeNumberValue }
    guard values.count == digits.count, values.count >= 2 else { return false }
    var product = 10
    for digit in values.dropLast() {
      var sum = (product + digit) % 10
      if sum == 0 { sum = 10 }
      product = (2 * sum) % 11
    }
    return (11 - product) % 10 == values.last!
  }
}
