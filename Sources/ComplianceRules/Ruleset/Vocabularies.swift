import Foundation
import Yams

/// Named word lists, each defined once and used by name in any rule of any file loaded with it.
///
/// A claim has parts (a verb, a body target, a condition, an outcome), and every claim shape of every rule that
/// reads one draws on the same lists: `降压药` is a medicine word whether the shape is "off the medicine" or "better
/// than the medicine". Defined once under a file's `vocabularies:`, a list grows in one place for all of them, where
/// the old copies in three patterns of one rule drifted apart. A list item `'{condition}'` stands for all the words
/// (terms, triggers, exceptions, negations, categories); `{condition}` inside a pattern for their alternation.
struct Vocabularies {
  private var words: [String: [String]] = [:]
  private var sources: [String: String] = [:]

  /// The keys whose strings are regular expressions: a name inside them is spliced in as an alternation.
  static let patternKeys: Set<String> = ["patterns", "exception_patterns", "unless", "names"]

  /// Reads a file's `vocabularies:` mapping (name → list of words). A name is snake_case and defined once among all
  /// files loaded together.
  mutating func read(_ node: Node, file: String, errors: inout [RulesetError]) {
    let entries = RulesetLoader.namedEntries(
      node, kind: "vocabulary", of: "word lists", file: file, firstDefinition: { sources[$0] }, errors: &errors)
    for (name, line, value) in entries {
      let list = value.sequence?.compactMap { $0.scalar?.string }.filter { !$0.isEmpty } ?? []
      guard !list.isEmpty, list.count == value.sequence?.count else {
        errors.append(RulesetError(file: file, line: line, message: "vocabulary '\(name)' must be a list of non-empty words"))
        continue
      }
      if let nested = list.first(where: { !Self.references(in: $0).isEmpty }) {
        errors.append(RulesetError(file: file, line: line, message: "vocabulary '\(name)' holds a name, \(nested): a vocabulary lists words only"))
        continue
      }
      words[name] = list
      sources[name] = "\(file):\(line)"
    }
  }

  /// `item` with the names it uses expanded: a word list item that is one name becomes that list's words; a pattern
  /// gets each `{name}` as a non-capturing alternation of the words, longest first so that `高血压` is tried before
  /// `高血`. Fails with a message for an unknown name, or a name inside a longer word of a word list.
  func expand(_ item: String, asPattern: Bool) -> Result<[String], VocabularyError> {
    let found = Self.references(in: item)
    guard !found.isEmpty else { return .success([item]) }
    if let unknown = found.first(where: { words[$0.name] == nil }) {
      let known = words.keys.sorted().joined(separator: ", ")
      return .failure(VocabularyError(message: "unknown vocabulary '{\(unknown.name)}' (defined: \(known.isEmpty ? "none" : known))"))
    }
    guard asPattern else {
      guard found.count == 1, found[0].range == item.startIndex..<item.endIndex else {
        return .failure(VocabularyError(message: "'\(item)': a word list item is a whole vocabulary ('{name}'); only patterns splice one into a longer text"))
      }
      return .success(words[found[0].name]!)
    }
    var text = item
    for reference in found.reversed() {
      let alternation = words[reference.name]!.sorted { $0.count > $1.count }.map(Self.escaped).joined(separator: "|")
      text.replaceSubrange(reference.range, with: "(?:\(alternation))")
    }
    return .success([text])
  }

  /// The `{name}` references in `text`. `\p{Han}`, `\x{4E00}` and a quantifier `{0,8}` are regular-expression
  /// syntax, not names.
  static func references(in text: String) -> [(name: String, range: Range<String.Index>)] {
    var found: [(name: String, range: Range<String.Index>)] = []
    var index = text.startIndex
    while let open = text[index...].firstIndex(of: "{") {
      index = text.index(after: open)
      guard let close = text[index...].firstIndex(of: "}") else { break }
      let name = String(text[index..<close])
      let escape = open > text.startIndex && text[text.index(before: open)].isLetter
        && text.index(before: open) > text.startIndex && text[text.index(open, offsetBy: -2)] == "\\"
      if !escape, let first = name.unicodeScalars.first, ("a"..."z").contains(first),
        name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
      {
        found.append((name, open..<text.index(after: close)))
        index = text.index(after: close)
      }
    }
    return found
  }

  /// A word as literal regular-expression text.
  static func escaped(_ word: String) -> String {
    var result = ""
    for character in word {
      if "\\^$.|?*+()[]{}".contains(character) { result.append("\\") }
      result.append(character)
    }
    return result
  }
}

struct VocabularyError: Error {
  let message: String
}
