/// What normalisation does to each Basic Multilingual Plane scalar, looked up in a table built once.
///
/// `Unicode.Scalar.Properties` answers through ICU's property tries on every call; normalising every character of
/// every page that way took a sixth of a run. The table costs 64 KB and a few milliseconds at start-up.
enum UnicodeTable {
  enum Kind: UInt8 {
    /// NFKC and case folding leave it as it is.
    case unchanged
    /// Collapsed like a space.
    case whitespace
    /// Needs NFKC and/or lowercasing (full-width forms, ①, ㎏, capitals).
    case changes
  }

  private static let table: [UInt8] = {
    var table = [UInt8](repeating: Kind.unchanged.rawValue, count: 0x10000)
    // ICU's property lookups are most of a run's start-up; the ideographs, Yi and Hangul syllables and private use
    // characters, two thirds of the plane, are left unchanged by NFKC and case folding (a test holds each to it).
    for value in 0..<0x10000 where !unchangedBlocks.contains(where: { $0.contains(value) }) {
      guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
      if scalar.properties.isWhitespace {
        table[value] = Kind.whitespace.rawValue
      } else if scalar.properties.changesWhenNFKCCaseFolded {
        table[value] = Kind.changes.rawValue
      }
    }
    return table
  }()

  /// Blocks whose every scalar NFKC and case folding leave as it is: CJK Unified Ideographs and Extension A, Yi
  /// syllables, Hangul syllables and the Private Use Area.
  static let unchangedBlocks: [ClosedRange<Int>] = [
    0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA48C, 0xAC00...0xD7A3, 0xE000...0xF8FF,
  ]

  static func kind(of value: UInt32) -> Kind {
    if value < 0x10000 { return Kind(rawValue: table[Int(value)])! }
    let scalar = Unicode.Scalar(value)!
    if scalar.properties.isWhitespace { return .whitespace }
    return scalar.properties.changesWhenNFKCCaseFolded ? .changes : .unchanged
  }
}
