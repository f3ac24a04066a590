/// Check-character algorithms for the identifiers merchants must show.
package enum CheckDigits {
  /// The 31 symbols of GB 32100 (no I, O, S, V, Z).
  static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
  /// W_i = 3^(i−1) mod 31.
  static let usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  /// `usccValues[b]` is the value of ASCII byte b (either case) in the alphabet, or −1. Codes are checked as bytes:
  /// the identifier rules judge every code on every page, and arrays of `Character` cost more than the pages' regex.
  static let usccValues: [Int8] = {
    var values = [Int8](repeating: -1, count: 128)
    for (value, symbol) in usccAlphabet.enumerated() {
      values[Int(symbol)] = Int8(value)
      if symbol >= UInt8(ascii: "A") { values[Int(symbol | 0x20)] = Int8(value) }
    }
    return values
  }()

  /// What a USCC may start with: the registering authority (1–9, A, N, Y), either case.
  static let usccAuthorities = Array("123456789ANYany".utf8)

  /// The alphabet value of `byte`, or nil.
  private static func usccValue(_ byte: UInt8) -> Int? {
    guard byte < 0x80, usccValues[Int(byte)] >= 0 else { return nil }
    return Int(usccValues[Int(byte)])
  }

  /// GB 32100-2015: C18 = (31 − Σ C_i·W_i mod 31) mod 31. Many published snippets forget the outer mod.
  public static func isValidUSCC(_ code: String) -> Bool {
    let bytes = Array(code.utf8)
    guard bytes.count == 18 else { return false }
    var sum = 0
    for index in 0..<17 {
      guard let value = usccValue(bytes[index]) else { return false }
      sum += value * usccWeights[index]
    }
    guard let check = usccValue(bytes[17]) else { return false }
    return (31 - sum % 31) % 31 == check
  }

  /// The shape of a USCC (authority, type, region digits, 31-symbol alphabet) with any letter or digit as the
  /// check character: a wrong check character (even an impossible one, like the standard's own `…Y4Z`) is a
  /// checksum failure, not a malformed code.
  public static func looksLikeUSCC(_ code: String) -> Bool {
    let bytes = Array(code.utf8)
    guard bytes.count == 18, usccAuthorities.contains(bytes[0]), bytes[1] != UInt8(ascii: "0"),
      bytes[2..<8].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
      bytes[0..<17].allSatisfy({ usccValue($0) != nil })
    else { return false }
    let check = bytes[17]
    let letter = check | 0x20
    return (letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z"))
      || (check >= UInt8(ascii: "0") && check <= UInt8(ascii: "9"))
  }

  /// ISO 7064 MOD 11,10 over decimal digits: used by the legacy 15-digit 注册号 and, empirically, by most SC and JY
  /// numbers (14 of 19 real SC numbers, 3 of 4 JY), which is why a failure on those is only a hint.
  public static func isValidMod11_10(_ digits: String) -> Bool {
    let utf8 = digits.utf8
    let ascii = utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    // ASCII digits, the normal case, without going through Characters; other digits (full-width…) the long way.
    let values = ascii ? utf8.map { Int($0 - UInt8(ascii: "0")) } : digits.compactMap { $0.wholeNumberValue }
    guard ascii || values.count == digits.count, values.count >= 2 else { return false }
    var product = 10
    for digit in values.dropLast() {
      var sum = (product + digit) % 10
      if sum == 0 { sum = 10 }
      product = (2 * sum) % 11
    }
    return (11 - product) % 10 == values.last!
  }
}
