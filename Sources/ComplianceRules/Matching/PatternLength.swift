/// The most characters a regular expression can match, read from its source; nil when it is unbounded (`*`, `+`,
/// `{n,}`) or uses syntax this reader does not know.
///
/// `Pattern` anchors a bounded expression on a window of the text just long enough for its longest match, instead
/// of handing Foundation the whole block (which copies the block's UTF-16 on every call).
struct PatternLength {
  private let characters: [Character]
  private var position = 0

  /// Characters a lookbehind may look back (`Pattern` keeps this many before a start, at four bytes each).
  static let longestLookbehind = 16

  static func maximum(of source: String) -> Int? {
    var reader = PatternLength(characters: Array(source))
    guard let length = reader.alternatives(), reader.position == reader.characters.count else { return nil }
    return length
  }

  private init(characters: [Character]) { self.characters = characters }

  /// `a|b|c` up to a closing parenthesis or the end: the longest alternative.
  private mutating func alternatives() -> Int? {
    var longest = 0
    while true {
      guard let length = sequence() else { return nil }
      longest = max(longest, length)
      guard position < characters.count, characters[position] == "|" else { return longest }
      position += 1
    }
  }

  /// Atoms with their quantifiers, up to `|`, `)` or the end.
  private mutating func sequence() -> Int? {
    var total = 0
    while position < characters.count, characters[position] != "|", characters[position] != ")" {
      guard let atom = atom(), let times = quantifier() else { return nil }
      total += atom * times
    }
    return total
  }

  private mutating func atom() -> Int? {
    let character = characters[position]
    position += 1
    switch character {
    case "^", "$":
      return 0
    case "\\":
      guard position < characters.count else { return nil }
      let escaped = characters[position]
      position += 1
      if escaped == "b" || escaped == "B" { return 0 }
      // \p{…}, \x…, \u…, \N{…} and back-references are not read here.
      if "pPxuNQE0123456789kg".contains(escaped) { return nil }
      return 1
    case "[":
      var depth = 1
      while position < characters.count, depth > 0 {
        if characters[position] == "\\" { position += 1 } else if characters[position] == "[" { depth += 1 } else if characters[position] == "]" { depth -= 1 }
        position += 1
      }
      return depth == 0 ? 1 : nil
    case "(":
      var lookbehind = false
      if position < characters.count, characters[position] == "?" {
        let rest = String(characters[position..<min(characters.count, position + 3)])
        if rest.hasPrefix("?:") {
          position += 2
        } else if rest.hasPrefix("?=") || rest.hasPrefix("?!") {
          position += 2
        } else if rest.hasPrefix("?<=") || rest.hasPrefix("?<!") {
          position += 3
          lookbehind = true
        } else if rest.hasPrefix("?<") {
          guard let close = characters[position...].firstIndex(of: ">") else { return nil }
          position = close + 1
        } else {
          return nil
        }
      }
      guard let inner = alternatives(), position < characters.count, characters[position] == ")" else { return nil }
      position += 1
      // Lookarounds count as if matched, so the window covers what they look at; a lookbehind must fit in the
      // window's reach backwards.
      if lookbehind { return inner <= Self.longestLookbehind ? 0 : nil }
      return inner
    case "*", "+", "?", "{", ")", "|":
      return nil
    default:
      return 1
    }
  }

  /// How many times the atom just read may repeat: 1 with no quantifier, nil when unbounded.
  private mutating func quantifier() -> Int? {
    guard position < characters.count else { return 1 }
    let times: Int
    switch characters[position] {
    case "?":
      position += 1
      times = 1
    case "*", "+":
      return nil
    case "{":
      guard let close = characters[position...].firstIndex(of: "}") else { return nil }
      let bounds = String(characters[(position + 1)..<close]).split(separator: ",", omittingEmptySubsequences: false)
      position = close + 1
      guard let upper = Int(bounds.last ?? ""), bounds.count <= 2 else { return nil }
      times = upper
    default:
      return 1
    }
    // A lazy or possessive marker changes how, not how much.
    if position < characters.count, characters[position] == "?" || characters[position] == "+" { position += 1 }
    return times
  }
}
