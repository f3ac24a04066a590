/// A 128-bit hash as 32 hex digits: enough to tell whether a record or page changed between runs and to key
/// fingerprints. Not a cryptographic hash; nothing here defends against a forger.
///
/// Two 64-bit lanes consume the input eight bytes at a time (multiply, rotate) and are mixed at the end with
/// MurmurHash3's finaliser. Non-generic on purpose: a generic over `Sequence` called from another module is not
/// specialised, and hashing each page byte by byte through protocol witnesses cost a tenth of a run.
package enum ContentHash {
  public static func hex(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes { hex($0) }
  }

  public static func hex(_ string: String) -> String {
    var string = string
    return string.withUTF8 { hex(UnsafeRawBufferPointer($0)) }
  }

  /// Hashes several parts with a separator no part can contain, so ("ab","c") and ("a","bc") differ.
  public static func hex(parts: [String]) -> String { hex(parts.joined(separator: "\u{1F}")) }

  public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
    var low: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var high: UInt64 = 0xC2B2_AE3D_27D4_EB4F &+ UInt64(bytes.count)
    let words = bytes.count / 8
    for index in 0..<words {
      let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
      low = rotate((low ^ word) &* 0x87C3_7B91_1142_53D5, 31)
      high = rotate((high ^ word) &* 0x4CF5_AD43_2745_937F, 27) &+ low
    }
    var tail: UInt64 = 0
    for index in stride(from: bytes.count - 1, through: words * 8, by: -1) {
      tail = (tail << 8) | UInt64(bytes[index])
    }
    low = rotate((low ^ tail) &* 0x87C3_7B91_1142_53D5, 31)
    high = rotate((high ^ tail) &* 0x4CF5_AD43_2745_937F, 27) &+ low
    return hex64(mix(low &+ high)) + hex64(mix(high ^ (low >> 17)))
  }

  private static func rotate(_ value: UInt64, _ by: UInt64) -> UInt64 { (value << by) | (value >> (64 - by)) }

  /// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
  private static func mix(_ value: UInt64) -> UInt64 {
    var value = value
    value ^= value >> 33
    value = value &* 0xFF51_AFD7_ED55_8CCD
    value ^= value >> 33
    value = value &* 0xC4CE_B9FE_1A85_EC53
    value ^= value >> 33
    return value
  }

  private static func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
