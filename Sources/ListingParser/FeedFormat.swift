/// The three feed layouts the reader understands.
public enum FeedFormat: String, Sendable {
  /// One JSON object per line (`.ndjson`, `.jsonl`, or a `.json` file that starts with `{`).
  case ndjson
  /// A JSON array of objects (`.json` starting with `[`).
  case jsonArray = "json"
  /// A header row naming the schema fields, one listing per row.
  case csv

  /// Picks the format by extension; a `.json` file is sniffed because exporters write both layouts under that name.
  ///
  /// `firstBytes` is the start of the file; a UTF-8 byte-order mark and leading whitespace are skipped. Returns nil
  /// for an unknown extension or a `.json` file that starts with neither `[` nor `{`.
  public static func detect(path: String, firstBytes: [UInt8]) -> FeedFormat? {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: ".") else { return nil }
    switch name[name.index(after: dot)...].lowercased() {
    case "ndjson", "jsonl": return .ndjson
    case "csv": return .csv
    case "json":
      switch firstSignificantByte(firstBytes) {
      case UInt8(ascii: "["): return .jsonArray
      case UInt8(ascii: "{"): return .ndjson
      default: return nil
      }
    default: return nil
    }
  }

  /// The first byte that is not a byte-order mark or ASCII whitespace.
  static func firstSignificantByte(_ bytes: [UInt8]) -> UInt8? {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    return body.first { !isJSONWhitespace($0) }
  }

  static func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }
}
