import Synchronization

/// A regular expression matched against normalised text, which is case-folded: a capital letter in the pattern
/// (`SC\d{14}`) matches its lower case in the text.
///
/// Regular expressions are for the few rules that need structure (numbers, a word between two others); word lists
/// go through the shared automaton. A pattern with `triggers` runs only on blocks where one of them was found.
package struct Pattern: Sendable {
  public let source: String
  private let regex: ICURegex
  /// The words every match starts with, normalised, when the pattern opens with a group of plain alternatives
  /// (`(原产国|原产地|产地)…`); nil when a match may start otherwise.
  public let leadingWords: [String]?

  /// A match as normalised UTF-8 offsets: the whole match and the `code` group (or the whole match again).
  public typealias Match = (start: Int, end: Int, groupStart: Int, groupEnd: Int)

  /// A pattern whose shape makes matching take exponential time (see `NestedRepetition`).
  public struct CatastrophicBacktracking: Error, CustomStringConvertible {
    public let description: String
  }

  /// Throws ICU's compile error (its name and where in the pattern) for a bad pattern, and
  /// `CatastrophicBacktracking` for one that nests repetitions.
  ///
  /// A pattern compiled before is reused: the loader compiles each one to report errors with their file and line,
  /// the rule that holds it compiles it again, and rules share vocabularies' patterns — a fifth of start-up went to
  /// compiling the same expressions again. Compiled patterns are immutable and share matchers safely, and there are
  /// as many as the distinct patterns of the rulesets ever loaded.
  public init(_ source: String) throws {
    if let compiled = Self.compiled.withLock({ $0[source] }) {
      self = compiled
      return
    }
    try self.init(compiling: source)
    Self.compiled.withLock { $0[source] = self }
  }

  private static let compiled = Mutex<[String: Pattern]>([:])

  private init(compiling source: String) throws {
    self.source = source
    let normalized = NormalizedText.normalizePattern(source)
    regex = try ICURegex(
      normalized, caseInsensitive: Self.hasCapitals(normalized),
      codeGroupName: source.utf8.firstRange(of: "(?<code>".utf8) != nil ? "code" : nil)
    leadingWords = Self.leadingWords(of: source)
    // After ICU has compiled it: the shape of a pattern that is not valid syntax means nothing.
    if let problem = NestedRepetition.problem(in: source) { throw CatastrophicBacktracking(description: problem) }
  }

  /// Every match, left to right, not overlapping.
  public func matches(in text: NormalizedText) -> [Match] {
    text.bytes.withUnsafeBufferPointer { bytes in
      regex.withMatcher(on: bytes) { matcher in
        var result: [Match] = []
        while matcher.findNext() { result.append(Self.match(matcher)) }
        return result
      }
    }
  }

  /// The matches that start at one of `starts` (normalised UTF-8 offsets, ascending), found by anchoring the
  /// expression there instead of searching the whole text. Like `matches(in:)`, matches do not overlap: a start
  /// inside the previous match is skipped. The whole text stays visible to lookbehind and lookahead.
  public func matches(in text: NormalizedText, startingAt starts: [Int]) -> [Match] {
    text.bytes.withUnsafeBufferPointer { bytes in
      regex.withMatcher(on: bytes) { matcher in
        var result: [Match] = []
        var taken = 0
        for start in starts where start >= taken && start < bytes.count && bytes[start] & 0xC0 != 0x80 {
          guard matcher.matches(at: start) else { continue }
          let found = Self.match(matcher)
          result.append(found)
          taken = found.end
        }
        return result
      }
    }
  }

  /// Whether a match covers `start..<end` (normalised UTF-8 offsets), searching only `reach` bytes either side of it
  /// rather than the whole text: an exception is a phrase around the word it excuses, and a catalogue page's
  /// description is one block of thousands of characters. Lookbehind sees no further back than the window.
  public func covers(_ start: Int, _ end: Int, in text: NormalizedText, reach: Int = 120) -> Bool {
    text.bytes.withUnsafeBufferPointer { bytes in
      var low = max(0, start - reach)
      while low > 0, bytes[low] & 0xC0 == 0x80 { low -= 1 }
      var high = min(bytes.count, end + reach)
      while high < bytes.count, bytes[high] & 0xC0 == 0x80 { high += 1 }
      let window = UnsafeBufferPointer(rebasing: bytes[low..<high])
      return regex.withMatcher(on: window) { matcher in
        while matcher.findNext() {
          let range = matcher.range
          if range.lowerBound + low <= start && range.upperBound + low >= end { return true }
          if range.lowerBound + low > start { return false }
        }
        return false
      }
    }
  }

  /// Whether the pattern occurs anywhere in `text`.
  public func occurs(in text: NormalizedText) -> Bool {
    text.bytes.withUnsafeBufferPointer { bytes in
      regex.withMatcher(on: bytes) { $0.findNext() }
    }
  }

  private static func match(_ matcher: ICURegex.Matcher) -> Match {
    let whole = matcher.range
    let code = matcher.code
    return (whole.lowerBound, whole.upperBound, code.lowerBound, code.upperBound)
  }

  /// Whether `source` has a capital letter that is not an escape (`\S`, `\D`, `\p`): only then must ICU match
  /// case-insensitively. The text is case-folded, so a pattern written in lower case matches it the same way
  /// without that mode, whose literal comparisons fold every character (1–3 % of a catalogue run).
  static func hasCapitals(_ source: String) -> Bool {
    var escaped = false
    for scalar in source.unicodeScalars {
      if escaped {
        escaped = false
      } else if scalar == "\\" {
        escaped = true
      } else if scalar.isASCII ? ("A"..."Z").contains(scalar) : scalar.properties.changesWhenLowercased {
        return true
      }
    }
    return false
  }

  /// The words every match starts with, normalised, or nil when a match may start otherwise. Each top-level
  /// alternative gives its own: after any opening lookaround (zero-width, it consumes nothing), the plain
  /// characters it opens with, followed by each word of a group of plain words right after them
  /// (`不(支持|适用)\s?无理由` gives 不支持, 不适用; `(原产国|原产地)(/地区)?…` gives both; `国宴(级|同款)` gives 国宴级,
  /// 国宴同款). A character or group that a quantifier may skip ends the words before it, except an optional group
  /// that opens the alternative: its words and those of what follows it (`(还|尚)?(没|未)办` gives 还, 尚, 没, 未). An
  /// alternative that opens with anything else (`\d`, `[…]`, `.`) makes the whole pattern nil.
  ///
  /// Anchoring at these words finds what a search finds: a search reports the leftmost start where the expression
  /// matches, and every such start is a place where one of the words begins.
  static func leadingWords(of source: String) -> [String]? {
    let characters = Array(source.unicodeScalars)
    var words: [String] = []
    for alternative in topLevelAlternatives(characters) {
      guard let own = openingWords(alternative) else { return nil }
      words += own
    }
    let normalized = words.map(NormalizedText.normalize)
    guard !normalized.isEmpty, !normalized.contains(where: \.isEmpty) else { return nil }
    var seen = Set<String>()
    return normalized.filter { seen.insert($0).inserted }
  }

  /// Words a match must hold soon after its start, and how far: for `(全国|行业)[^。，]{0,6}(领先|第一(?!次))` every
  /// match has 领先 or 第一 starting at most `reach` bytes after its own start (the longest opening word, then six
  /// characters of four bytes at most). Nil unless the pattern is one alternative that opens with plain words and goes
  /// on with bounded gaps (`[^…]{m,n}`, `.{m,n}`, `\s?`) to a group whose alternatives all open with plain words, or
  /// to plain characters. An anchor with none of these words within reach cannot start a match, and ICU is not asked.
  static func follower(of source: String) -> (words: [String], reach: Int)? {
    let characters = Array(source.unicodeScalars)
    let alternatives = topLevelAlternatives(characters)
    guard alternatives.count == 1, let lead = openingWords(alternatives[0]) else { return nil }
    let alternative = alternatives[0]
    var index = alternative.startIndex
    let end = alternative.endIndex
    // The opening again, to find where it ends: lookarounds, then a plain group or plain characters, unquantified.
    while isLookaround(alternative, at: index) {
      guard let close = groupEnd(alternative, from: index) else { return nil }
      index = close
    }
    if alternative[index] == "(" {
      guard let close = groupEnd(alternative, from: index) else { return nil }
      index = close
    } else {
      while index < end, !syntax.contains(alternative[index]) { index += 1 }
    }
    guard index < end, !"?*{+".unicodeScalars.contains(alternative[index]) else { return nil }
    var reach = lead.map { NormalizedText.normalize($0).utf8.count }.max() ?? 0
    // Gaps of a bounded number of characters.
    while index < end {
      let gapStart = index
      if alternative[index] == "[" {
        var cursor = index + 1
        while cursor < end, alternative[cursor] != "]" { cursor += alternative[cursor] == "\\" ? 2 : 1 }
        guard cursor < end else { return nil }
        index = cursor + 1
      } else if alternative[index] == "." {
        index += 1
      } else if alternative[index] == "\\", index + 1 < end, alternative[index + 1] == "s" {
        index += 2
      } else {
        break
      }
      guard index < end else { return nil }
      if alternative[index] == "?" {
        reach += 4
        index += 1
      } else if alternative[index] == "{", let close = alternative[index...].firstIndex(of: "}") {
        let bounds = String(scalars: alternative[(index + 1)..<close]).split(separator: ",", omittingEmptySubsequences: false)
        guard let upper = bounds.last.flatMap({ Int($0) }) else { return nil }
        reach += 4 * upper
        index = close + 1
      } else if alternative[gapStart] == "[" || alternative[gapStart] == "." || alternative[gapStart] == "\\" {
        guard !"*+".unicodeScalars.contains(alternative[index]) else { return nil }
        reach += 4
      }
      guard index < end, !"?+*".unicodeScalars.contains(alternative[index]) else { return nil }
    }
    guard index < end else { return nil }
    if alternative[index] == "(" {
      guard let body = plainGroupBody(alternative, at: index), let close = groupEnd(alternative, from: index),
        close >= end || !"?*{".unicodeScalars.contains(alternative[close])
      else { return nil }
      var words: [String] = []
      for inner in topLevelAlternatives(Array(alternative[body..<(close - 1)])) {
        guard let own = openingWords(inner) else { return nil }
        words += own
      }
      let normalized = words.map(NormalizedText.normalize)
      return normalized.contains(where: \.isEmpty) ? nil : (normalized, reach)
    }
    guard let words = openingWords(alternative[index...]) else { return nil }
    let normalized = words.map(NormalizedText.normalize)
    return normalized.contains(where: \.isEmpty) ? nil : (normalized, reach)
  }

  /// Characters that are regular-expression syntax, or that normalisation turns into a space: neither can start a
  /// plain word.
  private static let syntax = Set("\\^$.|?*+()[]{} \u{3000}\t\n".unicodeScalars)

  /// `characters` split at each `|` outside groups and character classes.
  private static func topLevelAlternatives(_ characters: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
    var alternatives: [ArraySlice<Unicode.Scalar>] = []
    var start = 0
    walkSyntax(characters[...], from: 0) { index, character, depth in
      if character == "|", depth == 0 {
        alternatives.append(characters[start..<index])
        start = index + 1
      }
      return true
    }
    alternatives.append(characters[start...])
    return alternatives
  }

  /// The index just past the group that opens at `open`, or nil when it is not closed.
  private static func groupEnd(_ characters: ArraySlice<Unicode.Scalar>, from open: Int) -> Int? {
    var end: Int?
    walkSyntax(characters, from: open) { index, character, depth in
      if character == ")", depth == 0 { end = index + 1 }
      return end == nil
    }
    return end
  }

  /// Calls `body` with each character from `start` that is syntax — neither escaped nor inside a `[…]` class — and
  /// the group depth after it (an opening `(` counts itself), until `body` returns false.
  private static func walkSyntax(
    _ characters: ArraySlice<Unicode.Scalar>, from start: Int, _ body: (_ index: Int, _ character: Unicode.Scalar, _ depth: Int) -> Bool
  ) {
    var depth = 0
    var inClass = false
    var escaped = false
    for index in start..<characters.endIndex {
      let character = characters[index]
      if escaped {
        escaped = false
        continue
      }
      if character == "\\" {
        escaped = true
      } else if inClass {
        if character == "]" { inClass = false }
      } else if character == "[" {
        inClass = true
      } else {
        if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
        if !body(index, character, depth) { return }
      }
    }
  }

  /// Whether a lookahead or lookbehind opens at `index`: `(?=`, `(?!`, `(?<=`, `(?<!`.
  private static func isLookaround(_ characters: ArraySlice<Unicode.Scalar>, at index: Int) -> Bool {
    guard index + 2 < characters.endIndex, characters[index] == "(", characters[index + 1] == "?" else { return false }
    let kind = characters[index + 2]
    return kind == "=" || kind == "!"
      || (kind == "<" && index + 3 < characters.endIndex && "=!".unicodeScalars.contains(characters[index + 3]))
  }

  /// Where the body of a group that only groups starts: after `(`, or after `(?:` (a vocabulary's alternation is
  /// spliced into patterns as one); nil for a lookaround, a named group or any other special group.
  private static func plainGroupBody(_ characters: ArraySlice<Unicode.Scalar>, at index: Int) -> Int? {
    guard index < characters.endIndex, characters[index] == "(" else { return nil }
    guard index + 1 < characters.endIndex, characters[index + 1] == "?" else { return index + 1 }
    return index + 2 < characters.endIndex && characters[index + 2] == ":" ? index + 3 : nil
  }

  /// The words one alternative opens with (not normalised), or nil.
  private static func openingWords(_ alternative: ArraySlice<Unicode.Scalar>) -> [String]? {
    var index = alternative.startIndex
    let end = alternative.endIndex
    func isQuantifier(_ at: Int) -> Bool { at < end && "?*{".unicodeScalars.contains(alternative[at]) }
    // Lookahead and lookbehind consume nothing: the match starts where what follows them does.
    while isLookaround(alternative, at: index) {
      guard let close = groupEnd(alternative, from: index), !isQuantifier(close) else { return nil }
      index = close
    }
    var prefix = ""
    while index < end, !syntax.contains(alternative[index]) {
      prefix.unicodeScalars.append(alternative[index])
      index += 1
    }
    if index < end, "?*{+".unicodeScalars.contains(alternative[index]) {
      // A quantifier applies to the last character alone: the words stop before it when it may be skipped.
      if alternative[index] != "+", !prefix.isEmpty { prefix.unicodeScalars.removeLast() }
      return prefix.isEmpty ? nil : [prefix]
    }
    guard let body = plainGroupBody(alternative, at: index), let close = alternative[index...].firstIndex(of: ")")
    else { return prefix.isEmpty ? nil : [prefix] }
    let inner = alternative[body..<close]
    if inner.contains(where: { $0 != "|" && syntax.contains($0) }) { return prefix.isEmpty ? nil : [prefix] }
    let words = String(scalars: inner).split(separator: "|", omittingEmptySubsequences: false).map { prefix + $0 }
    guard isQuantifier(close + 1) else { return words }
    // An optional opening group (`(还|尚)?(没|未)办`): a match opens with one of its words or with what follows it.
    guard prefix.isEmpty, alternative[close + 1] == "?" else { return prefix.isEmpty ? nil : [prefix] }
    var rest = close + 2
    if rest < end, "?+".unicodeScalars.contains(alternative[rest]) { rest += 1 }
    return openingWords(alternative[rest...]).map { words + $0 }
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

extension String {
  /// The text of a run of a pattern's scalars (`Pattern` and `NestedRepetition` read patterns scalar by scalar).
  init(scalars: ArraySlice<Unicode.Scalar>) { self.init(String.UnicodeScalarView(scalars)) }
}
