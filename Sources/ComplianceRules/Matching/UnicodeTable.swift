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
    for value in 0..<0x10000 {
      guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
      if scalar.properties.isWhitespace {
        table[value] = Kind.whitespace.rawValue
      } else if scalar.properties.changesWhenNFKCCaseFolded {
        table[value] = Kind.changes.rawValue
      }
    }
    return table
  }()

  static func kind(of value: UInt32) -> Kind {
    if value < 0x10000 { return Kind(rawValue: table[Int(value)])! }
    let scalar = Unicode.Scalar(value)!
    if scalar.properties.isWhitespace { return .whitespace }
    return scalar.properties.changesWhenNFKCCaseFolded ? .changes : .unchanged
  }
}
