/// Foundation's two whitespace sets, tested in Swift. `trimmingCharacters(in:)` bridges every string through NSString
/// and back, which on the feed path cost more than reading the field it trimmed.
///
/// The members are exactly those of `CharacterSet.whitespaces` and `.whitespacesAndNewlines` on Linux (a test checks
/// every scalar against CharacterSet), including U+200B ZERO WIDTH SPACE, which Foundation still counts as a space.
/// The two differ: feed values such as prices are trimmed of spaces only, ids of line breaks too.
public enum UnicodeWhitespace: Sendable {
  /// `CharacterSet.whitespaces`: tab and the space separators.
  case whitespaces
  /// `CharacterSet.whitespacesAndNewlines`: also LF, VT, FF, CR, NEL and the line and paragraph separators.
  case whitespacesAndNewlines

  public func contains(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
    case 0x0A...0x0D, 0x85, 0x2028, 0x2029: self == .whitespacesAndNewlines
    default: false
    }
  }
}

extension String {
  /// The text `trimmingCharacters(in:)` returns for the same set, as a slice of this string (no copy when there is
  /// nothing to trim). Trims scalar by scalar as NSString does, so a space before a combining mark is trimmed even
  /// though the two make one Character.
  public func trimming(_ whitespace: UnicodeWhitespace) -> Substring {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !whitespace.contains($0) }),
      let last = scalars.lastIndex(where: { !whitespace.contains($0) })
    else { return "" }
    return Substring(scalars[first...last])
  }
}
