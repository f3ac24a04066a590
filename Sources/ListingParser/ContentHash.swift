/// A 128-bit FNV-1a hash as 32 hex digits: enough to tell whether a record or page changed between runs and to key
/// fingerprints. Not a cryptographic hash; nothing here defends against a forger.
public enum ContentHash {
  public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var low: UInt64 = 0xcbf2_9ce4_8422_2325
    var high: UInt64 = 0x8422_2325_cbf2_9ce4
    for byte in bytes {
      low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
      high = (high ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
    }
    return hex64(low) + hex64(high)
  }

  public static func hex(_ string: String) -> String { hex(string.utf8) }

  /// Hashes several parts with a separator no part can contain, so ("ab","c") and ("a","bc") differ.
  public static func hex(parts: [String]) -> String { hex(parts.joined(separator: "\u{1F}")) }

  private static func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
