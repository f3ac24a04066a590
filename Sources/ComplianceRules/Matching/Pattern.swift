import Foundation

/// A regular expression matched against normalised text (case-insensitive, since the text is case-folded).
///
/// Regular expressions are for the few rules that need structure (numbers, a word between two others); word lists
/// go through the shared automaton. A pattern with `triggers` runs only on blocks where one of them was found.
public struct Pattern: Sendable {
  public let source: String
  private let regex: NSRegularExpression
  /// Whether the pattern names a `code` group, whose range is then reported instead of the whole match.
  private let hasCode: Bool

  /// Throws the regular-expression compiler's error for a bad pattern.
  public init(_ source: String) throws {
    self.source = source
    regex = try NSRegularExpression(pattern: NormalizedText.normalizePattern(source), options: [.caseInsensitive])
    hasCode = source.contains("(?<code>")
  }

  /// Match ranges as normalised UTF-8 offsets, with the named group `code` (if the pattern has one) or the whole
  /// match.
  public func matches(in text: NormalizedText) -> [(start: Int, end: Int, groupStart: Int, groupEnd: Int)] {
    let string = text.string
    let utf16 = string.utf16
    var result: [(Int, Int, Int, Int)] = []
    for match in regex.matches(in: string, range: NSRange(location: 0, length: utf16.count)) {
      let group = hasCode ? match.range(withName: "code") : match.range
      guard let whole = Self.utf8Range(match.range, in: string),
        let code = group.location == NSNotFound ? whole : Self.utf8Range(group, in: string)
      else { continue }
      result.append((whole.lowerBound, whole.upperBound, code.lowerBound, code.upperBound))
    }
    return result
  }

  /// Whether the pattern occurs anywhere in `text`.
  public func occurs(in text: NormalizedText) -> Bool {
    let string = text.string
    return regex.firstMatch(in: string, range: NSRange(location: 0, length: string.utf16.count)) != nil
  }

  /// UTF-8 offsets of an `NSRange` (UTF-16) in `string`.
  static func utf8Range(_ range: NSRange, in string: String) -> Range<Int>? {
    guard range.location != NSNotFound, let bounds = Range(range, in: string) else { return nil }
    let utf8 = string.utf8
    return utf8.distance(from: utf8.startIndex, to: bounds.lowerBound)..<utf8.distance(
      from: utf8.startIndex, to: bounds.upperBound)
  }
}

extension NormalizedText {
  /// Patterns are written with full-width punctuation where merchants use it (`：`, `（`); the text they run on is
  /// normalised, so the literal characters of the pattern must be too. Only characters outside regex syntax are
  /// folded: full-width forms and ideographic spaces.
  static func normalizePattern(_ source: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in source.unicodeScalars {
      if scalar.value >= 0xFF01 && scalar.value <= 0xFF5E {
        let folded = Unicode.Scalar(scalar.value - 0xFEE0)!
        // A folded character that is regex syntax must stay literal.
        if "\\^$.|?*+()[]{}".unicodeScalars.contains(folded) { out.append("\\") }
        out.append(folded)
      } else if scalar.value == 0x3000 {
        out.append(" ")
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
