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
  /// The words every match starts with, normalised, when the pattern opens with a group of plain alternatives
  /// (`(原产国|原产地|产地)…`); nil when a match may start otherwise.
  public let leadingWords: [String]?
  /// The longest match in UTF-8 bytes (four per character), when the expression is bounded.
  let maximumBytes: Int?

  /// A match as normalised UTF-8 offsets: the whole match and the `code` group (or the whole match again).
  public typealias Match = (start: Int, end: Int, groupStart: Int, groupEnd: Int)

  /// Throws the regular-expression compiler's error for a bad pattern.
  public init(_ source: String) throws {
    self.source = source
    regex = try NSRegularExpression(pattern: NormalizedText.normalizePattern(source), options: [.caseInsensitive])
    hasCode = source.contains("(?<code>")
    leadingWords = Self.leadingWords(of: source)
    maximumBytes = PatternLength.maximum(of: source).map { $0 * 4 }
  }

  /// Match ranges as normalised UTF-8 offsets, with the named group `code` (if the pattern has one) or the whole
  /// match.
  public func matches(in text: NormalizedText) -> [Match] {
    let string = text.string
    let utf16 = string.utf16
    return regex.matches(in: string, range: NSRange(location: 0, length: utf16.count)).compactMap { match(from: $0, in: string) }
  }

  /// The matches that start at one of `starts` (normalised UTF-8 offsets, ascending), found by anchoring the
  /// expression there instead of searching the whole text. Like `matches(in:)`, matches do not overlap: a start
  /// inside the previous match is skipped.
  ///
  /// A bounded expression is tried on a window of the text around its start: Foundation copies a string's UTF-16
  /// on every call, and copying a long description once per start cost more than the search it saved. The window
  /// reaches `context` bytes back and past the longest possible match, for lookbehind and lookahead assertions.
  public func matches(in text: NormalizedText, startingAt starts: [Int]) -> [Match] {
    let bytes = text.bytes
    var result: [Match] = []
    var taken = 0
    for start in starts where start >= taken && start < bytes.count && bytes[start] & 0xC0 != 0x80 {
      let found: Match?
      if let maximumBytes, maximumBytes < Self.longestWindow {
        var from = max(0, start - Self.context)
        while from < start, bytes[from] & 0xC0 == 0x80 { from += 1 }
        var to = min(bytes.count, start + maximumBytes + Self.context)
        while to < bytes.count, bytes[to] & 0xC0 == 0x80 { to += 1 }
        found = anchoredMatch(in: String(decoding: bytes[from..<to], as: UTF8.self), at: start - from).map {
          (start: $0.start + from, end: $0.end + from, groupStart: $0.groupStart + from, groupEnd: $0.groupEnd + from)
        }
      } else {
        found = anchoredMatch(in: text.string, at: start)
      }
      guard let found else { continue }
      result.append(found)
      taken = found.end
    }
    return result
  }

  static let context = 64
  static let longestWindow = 4096

  /// The match starting exactly at UTF-8 offset `start` of `string`, if any.
  private func anchoredMatch(in string: String, at start: Int) -> Match? {
    let utf8 = string.utf8
    let startIndex = utf8.index(utf8.startIndex, offsetBy: start)
    let location = string.utf16.distance(from: string.utf16.startIndex, to: startIndex)
    let length = string.utf16.count
    guard
      let found = regex.firstMatch(
        in: string, options: [.anchored, .withTransparentBounds],
        range: NSRange(location: location, length: length - location))
    else { return nil }
    return match(from: found, in: string)
  }

  private func match(from result: NSTextCheckingResult, in string: String) -> Match? {
    let group = hasCode ? result.range(withName: "code") : result.range
    guard let whole = Self.utf8Range(result.range, in: string),
      let code = group.location == NSNotFound ? whole : Self.utf8Range(group, in: string)
    else { return nil }
    return (whole.lowerBound, whole.upperBound, code.lowerBound, code.upperBound)
  }

  /// The alternatives of an opening group of plain words: `(原产国|原产地)(/地区)?…` gives both; a group that is
  /// optional or has syntax inside, or an alternative at the top level (`(a|b)c|d`), gives nil.
  static func leadingWords(of source: String) -> [String]? {
    let characters = Array(source)
    guard characters.first == "(", characters.count > 2, characters[1] != "?",
      let close = characters.firstIndex(of: ")")
    else { return nil }
    let inner = characters[1..<close]
    guard !inner.contains(where: { "\\^$.?*+()[]{} ".contains($0) }) else { return nil }
    if close + 1 < characters.count, "?*{|".contains(characters[close + 1]) { return nil }
    var depth = 0
    var inClass = false
    var escaped = false
    for character in characters[(close + 1)...] {
      if escaped {
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if inClass {
        if character == "]" { inClass = false }
      } else if character == "[" {
        inClass = true
      } else if character == "(" {
        depth += 1
      } else if character == ")" {
        depth -= 1
      } else if character == "|", depth == 0 {
        return nil
      }
    }
    let words = String(inner).split(separator: "|", omittingEmptySubsequences: false).map {
      NormalizedText.normalize(String($0))
    }
    return words.contains(where: \.isEmpty) ? nil : words
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
