/// Finds, in an ICU pattern, the shapes that make a backtracking matcher take exponential time: a group repeated by
/// a quantifier whose body can itself repeat a varying number of times (`(a+)+`, `(a*)*`, `(\s?\d+)*`, `(a{1,3})+`),
/// or whose alternatives
/// can match the same text (`(a|a)*`, `(a|)+`). On text that almost matches, ICU tries every way of splitting it
/// between the two repetitions before it gives up: a run of 30 a's followed by `!` holds one thread for minutes.
///
/// The check reads the pattern's syntax only, so it rejects what is certain and leaves the rest to the matching
/// limit (`MatchBudget`): alternatives that overlap without being equal (`(a|aa)+`) are not found here.
/// Possessive quantifiers (`a++`) and atomic groups (`(?>…)`) never backtrack into what they took and are allowed.
enum NestedRepetition {
  /// What is wrong and where, in the author's terms; nil for a pattern without such a shape.
  static func problem(in source: String) -> String? {
    var scanner = Scanner(Array(source.unicodeScalars))
    return scanner.run()
  }

  /// An open group: what its body has seen so far.
  private struct Group {
    var start: Int
    /// `(?>…)`: the body is never backtracked into once it matched.
    var atomic = false
    /// A lookaround: it matches no text, so repeating it repeats nothing.
    var lookaround = false
    /// Something in the body repeats a varying number of times, more than once (`+`, `*`, `{1,3}`; not `?`).
    var repeatsVariably = false
    var alternatives: [String] = []
    var alternativeStart: Int
  }

  /// A quantifier: how many times at least and at most (nil: no bound), and whether it is possessive.
  private struct Quantifier {
    var lower: Int
    var upper: Int?
    var possessive: Bool
    var length: Int
  }

  private struct Scanner {
    let characters: [Unicode.Scalar]
    var index = 0
    /// The groups open at `index`; the first stands for the whole pattern.
    var groups: [Group]

    init(_ characters: [Unicode.Scalar]) {
      self.characters = characters
      groups = [Group(start: 0, alternativeStart: 0)]
    }

    mutating func run() -> String? {
      while index < characters.count {
        let character = characters[index]
        switch character {
        case "\\":
          skipEscape()
          if let problem = quantify(group: nil) { return problem }
        case "[":
          skipClass()
          if let problem = quantify(group: nil) { return problem }
        case "(":
          openGroup()
        case ")":
          guard groups.count > 1 else { return nil }  // ICU reports the stray parenthesis itself.
          var group = groups.removeLast()
          group.alternatives.append(String(scalars: characters[group.alternativeStart..<index]))
          index += 1
          if let problem = quantify(group: group) { return problem }
          if group.repeatsVariably && !group.atomic { groups[groups.count - 1].repeatsVariably = true }
        case "|":
          let last = groups.count - 1
          groups[last].alternatives.append(String(scalars: characters[groups[last].alternativeStart..<index]))
          index += 1
          groups[last].alternativeStart = index
        default:
          index += 1
          if let problem = quantify(group: nil) { return problem }
        }
      }
      return nil
    }

    /// Reads the quantifier after an atom (`group`, or a single character, escape or class when nil), if any.
    mutating func quantify(group: Group?) -> String? {
      guard let quantifier = quantifier(at: index) else { return nil }
      let atomEnd = index
      index += quantifier.length
      guard !quantifier.possessive else { return nil }
      if quantifier.upper.map({ $0 > 1 && $0 > quantifier.lower }) ?? true {
        groups[groups.count - 1].repeatsVariably = true
      }
      guard let group, !group.lookaround, quantifier.upper.map({ $0 > 1 }) ?? true else { return nil }
      let body = String(scalars: characters[group.start..<atomEnd])
      let repeated = String(scalars: characters[group.start..<index])
      if group.repeatsVariably && !group.atomic {
        return "'\(repeated)' repeats a group that itself repeats, so on text that almost matches ICU "
          + "tries every way to share it out (exponential time); repeat either '\(body)' or what is inside it, "
          + "not both, or make the inner quantifier possessive ('++', '*+')"
      }
      let alternatives = group.alternatives
      if alternatives.count > 1, Set(alternatives).count < alternatives.count || alternatives.contains("") {
        return "'\(repeated)' repeats a group whose alternatives can match the same text (a repeated or empty "
          + "alternative), so on text that almost matches ICU tries every combination (exponential time); "
          + "give each alternative once and none empty"
      }
      return nil
    }

    /// The quantifier starting at `position`, if one does: `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}`, each optionally
    /// followed by `?` (lazy, which still backtracks) or `+` (possessive).
    func quantifier(at position: Int) -> Quantifier? {
      guard position < characters.count else { return nil }
      var lower = 0
      var upper: Int?
      var length = 1
      switch characters[position] {
      case "*": upper = nil
      case "+": (lower, upper) = (1, nil)
      case "?": upper = 1
      case "{":
        guard let close = characters[position...].firstIndex(of: "}") else { return nil }
        let bounds = String(scalars: characters[(position + 1)..<close]).split(separator: ",", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count), bounds.allSatisfy({ $0.allSatisfy(\.isNumber) }), !bounds[0].isEmpty
        else { return nil }  // `{` that is not a quantifier is a literal brace in ICU.
        lower = Int(bounds[0]) ?? 0
        upper = bounds.count == 1 ? lower : (bounds[1].isEmpty ? nil : Int(bounds[1]))
        length = close - position + 1
      default:
        return nil
      }
      let next = position + length
      let possessive = next < characters.count && characters[next] == "+"
      if next < characters.count, characters[next] == "+" || characters[next] == "?" { length += 1 }
      return Quantifier(lower: lower, upper: upper, possessive: possessive, length: length)
    }

    /// Opens a group, or skips an inline comment `(?#…)` or flag setting `(?i)`, which are no groups.
    mutating func openGroup() {
      let start = index
      index += 1
      var group = Group(start: start, alternativeStart: index)
      if index < characters.count, characters[index] == "?" {
        index += 1
        let rest = characters[index...]
        if rest.starts(with: "#".unicodeScalars) {
          index = (rest.firstIndex(of: ")") ?? characters.count - 1) + 1
          return
        } else if rest.starts(with: ">".unicodeScalars) {
          group.atomic = true
          index += 1
        } else if rest.starts(with: "=".unicodeScalars) || rest.starts(with: "!".unicodeScalars) {
          group.lookaround = true
          index += 1
        } else if rest.starts(with: "<=".unicodeScalars) || rest.starts(with: "<!".unicodeScalars) {
          group.lookaround = true
          index += 2
        } else if rest.starts(with: "<".unicodeScalars) {
          index = (rest.firstIndex(of: ">") ?? characters.count - 1) + 1
        } else {
          // Flags: `(?i:…)` opens a group, `(?i)` only sets them.
          while index < characters.count, characters[index].properties.isAlphabetic || characters[index] == "-" { index += 1 }
          if index < characters.count, characters[index] == ")" {
            index += 1
            return
          }
          index += 1
        }
      }
      group.alternativeStart = index
      groups.append(group)
    }

    /// Skips an escape: one character, `\Q…\E`, or a braced operand (`\p{L}`, `\x{41}`, `\N{…}`).
    mutating func skipEscape() {
      index += 1
      guard index < characters.count else { return }
      let escaped = characters[index]
      index += 1
      if escaped == "Q" {
        while index < characters.count, !(characters[index] == "\\" && index + 1 < characters.count
          && characters[index + 1] == "E")
        {
          index += 1
        }
        index = min(index + 2, characters.count)
      } else if "pPxN".unicodeScalars.contains(escaped), index < characters.count, characters[index] == "{" {
        index = (characters[index...].firstIndex(of: "}") ?? characters.count - 1) + 1
      }
    }

    /// Skips a character class, nested classes (`[[a-z]--[aeiou]]`) and escapes included.
    mutating func skipClass() {
      var depth = 0
      while index < characters.count {
        switch characters[index] {
        case "\\":
          index += 2
          continue
        case "[": depth += 1
        case "]": depth -= 1
        default: break
        }
        index += 1
        if depth == 0 { return }
      }
    }
  }
}
