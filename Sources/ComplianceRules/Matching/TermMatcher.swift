/// Finds every occurrence of many terms in normalised UTF-8 text.
///
/// All word lists of all rules go into one matcher, so a text block is scanned once whatever the number of terms (a
/// regular expression per keyword managed 0.02–0.25 MB/s). The terms sit in a byte trie stored as a double array
/// (`base`/`check`, Aoe 1989): a state's children sit at `base[state] + byte`, and `check` says whose child a slot
/// is. A term can only start where the text has a character some term starts with, so the scan decodes each
/// character, tests it against a bitmap of first characters, and walks the trie only from the positions that pass.
///
/// The double array holds the trie in a few tens of kilobytes where a table of 256 next states per state took
/// 3 MB: on catalogue pages a quarter of the characters start a walk (请, 品, 一, 第 begin terms), and in that table
/// nearly every step was a cache miss — half the scan's time went to two loads.
///
/// This replaced a byte-level Aho-Corasick automaton (3,172 states for the bundled rules): that one made a
/// dependent table load for every byte, three per Chinese character, while here most characters cost one bitmap
/// test and the walks from the rest end within a character or two — the scan took a third of the time on catalogue
/// pages. A walk is no longer than the longest term, which bounds the worst case.
///
/// A class, not a struct: every thread shares the one matcher read-only, and as a struct of eight arrays it was
/// copied into the scan's closures for each block, eight reference counts at a time.
package final class TermMatcher: Sendable {
  /// A match: which term, and where it ends (exclusive) in the scanned bytes.
  public struct Match: Sendable, Equatable {
    public var pattern: Int32
    public var end: Int32
  }

  /// The child of the state in slot `s` for `byte` is slot `base[s] + byte` when `check[base[s] + byte] == s`. The
  /// root is slot 0; both arrays run 256 slots past the last base, so a step never needs a bounds check.
  private let base: [Int32]
  private let check: [Int32]
  /// Terms ending at the state in slot `s` are `ending[endingStart[s]..<endingStart[s + 1]]`.
  private let endingStart: [Int32]
  private let ending: [Int32]
  /// The characters below U+10000 that some term starts with, 64 to a word: bit `c & 63` of word `c >> 6`.
  private let firstCharacters: [FirstCharacters]
  /// Whether some term starts with a character beyond the BMP (those positions are always walked).
  private let astralFirstCharacter: Bool
  /// The slot a walk reaches over its first character (below U+10000), by the character's rank among the first
  /// characters. A walk starts there rather than at the root: every walk passes its whole first character, a
  /// Chinese one in three dependent steps, and a quarter of a catalogue page's characters start one.
  private let firstSlots: [Int32]
  public let patternLengths: [Int32]

  /// One word of the first-character bitmap and the number of first characters in the words before it, side by
  /// side: the test and the rank of a character read one place.
  private struct FirstCharacters {
    var bits: UInt64 = 0
    var rankBefore: Int32 = 0
  }

  /// `patterns` are valid UTF-8, as every Swift string's bytes are.
  public init(patterns: [[UInt8]]) {
    var children: [[UInt8: Int32]] = [[:]]
    var own: [[Int32]] = [[]]
    var firstCharacters = [FirstCharacters](repeating: FirstCharacters(), count: 0x10000 / 64)
    var astral = false
    // The state after each first character below U+10000.
    var firstStates: [Int: Int32] = [:]
    for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
      var state: Int32 = 0
      let first = String(decoding: pattern, as: UTF8.self).unicodeScalars.first!
      let firstLength = UTF8.width(first)
      for (offset, byte) in pattern.enumerated() {
        if let next = children[Int(state)][byte] {
          state = next
        } else {
          children.append([:])
          own.append([])
          let next = Int32(children.count - 1)
          children[Int(state)][byte] = next
          state = next
        }
        if offset == firstLength - 1, first.value < 0x10000 { firstStates[Int(first.value)] = state }
      }
      own[Int(state)].append(Int32(index))
      if first.value < 0x10000 {
        firstCharacters[Int(first.value) >> 6].bits |= 1 << (UInt64(first.value) & 63)
      } else {
        astral = true
      }
    }
    let slots = Self.doubleArray(children)
    var firstSlots: [Int32] = []
    for word in firstCharacters.indices {
      firstCharacters[word].rankBefore = Int32(firstSlots.count)
      var bits = firstCharacters[word].bits
      while bits != 0 {
        firstSlots.append(slots.slot[Int(firstStates[word * 64 + bits.trailingZeroBitCount]!)])
        bits &= bits &- 1
      }
    }
    var starts: [Int32] = [0]
    var flat: [Int32] = []
    var ownBySlot = [[Int32]](repeating: [], count: slots.check.count)
    for (state, terms) in own.enumerated() { ownBySlot[Int(slots.slot[state])] = terms }
    for terms in ownBySlot {
      flat += terms
      starts.append(Int32(flat.count))
    }
    base = slots.base
    check = slots.check
    endingStart = starts
    ending = flat
    self.firstCharacters = firstCharacters
    astralFirstCharacter = astral
    self.firstSlots = firstSlots
    patternLengths = patterns.map { Int32($0.count) }
  }

  /// Lays the trie out as a double array: breadth first, each state takes the lowest base at which all its
  /// children's slots are free. Returns the arrays and each state's slot.
  private static func doubleArray(_ children: [[UInt8: Int32]]) -> (base: [Int32], check: [Int32], slot: [Int32]) {
    var base: [Int32] = [0]
    // The root's slot is taken but is no state's child.
    var check: [Int32] = [.max]
    var slot = [Int32](repeating: -1, count: children.count)
    slot[0] = 0
    // Slots from `frontier` on are all free; below it, only the `holes` (ascending) are.
    var frontier = 1
    var holes: [Int] = []
    var queue = [0]
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      let edges = children[state].sorted { $0.key < $1.key }
      guard let lowest = edges.first.map({ Int($0.key) }) else { continue }
      func fits(_ candidate: Int) -> Bool {
        edges.allSatisfy { edge in
          let target = candidate + Int(edge.key)
          return target >= frontier || check[target] < 0
        }
      }
      // The lowest child goes in a hole or at the frontier; the first base that fits all children is taken.
      let candidate =
        holes.lazy.filter { $0 >= lowest }.map { $0 - lowest }.first(where: fits) ?? max(frontier - lowest, 0)
      base[Int(slot[state])] = Int32(candidate)
      for (byte, child) in edges {
        let target = candidate + Int(byte)
        if target >= frontier {
          holes += frontier..<target
          frontier = target + 1
          let needed = target + 1 - check.count
          if needed > 0 {
            base += repeatElement(0, count: needed)
            check += repeatElement(-1, count: needed)
          }
        } else if let hole = holes.firstIndex(of: target) {
          holes.remove(at: hole)
        }
        slot[Int(child)] = Int32(target)
        check[target] = slot[state]
        queue.append(Int(child))
      }
    }
    // Room for a step from any state on any byte without a bounds check.
    let length = Int(base.max() ?? 0) + 256
    if length > check.count {
      base += repeatElement(0, count: length - base.count)
      check += repeatElement(-1, count: length - check.count)
    }
    return (base, check, slot)
  }

  /// Every occurrence of every term in `bytes` (valid UTF-8), overlapping ones included, ordered by end, then longest
  /// first, then by term index.
  public func matches(in bytes: [UInt8]) -> [Match] {
    var found: [Match] = []
    matches(in: bytes, appendingTo: &found)
    return found
  }

  /// Whether a term starts in `text` (valid UTF-8) before offset `limit`; it may end after it.
  public func occurs(in text: UnsafeBufferPointer<UInt8>, startingBefore limit: Int) -> Bool {
    var occurs = false
    scan(text, startingBefore: limit) { _, _ in
      occurs = true
      return false
    }
    return occurs
  }

  /// `matches(in:)` appended to `found`, whose earlier matches stay as they are: the blocks of a page are scanned
  /// into one array instead of a new one each.
  public func matches(in bytes: [UInt8], appendingTo found: inout [Match]) {
    let first = found.count
    bytes.withUnsafeBufferPointer { text in
      scan(text, startingBefore: text.count) { term, end in
        found.append(Match(pattern: term, end: end))
        return true
      }
    }
    if found.count > first + 1 {
      // Walks run per start position; callers read hits in order of their end, longest first. Matches come out
      // nearly in that order (only a longer term ending after shorter ones that start later is out of place), so an
      // insertion sort moves those few, where the library sort paid a closure call and a tuple key per comparison.
      // The key is total (one match per term and end), so the order is the same whatever the sort.
      patternLengths.withUnsafeBufferPointer { lengths in
        found.withUnsafeMutableBufferPointer { found in
          for index in (first + 1)..<found.count {
            let item = found[index]
            let itemLength = lengths[Int(item.pattern)]
            var slot = index
            while slot > first {
              let before = found[slot - 1]
              if before.end < item.end { break }
              if before.end == item.end {
                let beforeLength = lengths[Int(before.pattern)]
                if beforeLength > itemLength || (beforeLength == itemLength && before.pattern < item.pattern) { break }
              }
              found[slot] = before
              slot -= 1
            }
            found[slot] = item
          }
        }
      }
    }
  }

  /// Calls `found` with each term (its index and end) that starts in `text` before `limit`, by start position, until
  /// it returns false. Inlined into its callers, so the page scan pays no call per match.
  @inline(__always)
  private func scan(
    _ text: UnsafeBufferPointer<UInt8>, startingBefore limit: Int, _ found: (Int32, Int32) -> Bool
  ) {
    base.withUnsafeBufferPointer { base in
      check.withUnsafeBufferPointer { check in
        endingStart.withUnsafeBufferPointer { endingStart in
          ending.withUnsafeBufferPointer { ending in
            firstCharacters.withUnsafeBufferPointer { firstCharacters in
              firstSlots.withUnsafeBufferPointer { firstSlots in
                let count = text.count
                let starts = min(limit, count)
                var position = 0
                while position < starts {
                  let lead = text[position]
                  let length: Int
                  // The character at `position` when below U+10000, else -1 (four bytes, or not valid UTF-8).
                  let scalar: Int
                  if lead < 0x80 {
                    length = 1
                    scalar = Int(lead)
                  } else if lead >= 0xE0 && lead < 0xF0 && position + 2 < count {
                    length = 3
                    scalar =
                      (Int(lead) & 0x0F) << 12 | (Int(text[position + 1]) & 0x3F) << 6 | Int(text[position + 2])
                      & 0x3F
                  } else if lead >= 0xC0 && lead < 0xE0 && position + 1 < count {
                    length = 2
                    scalar = (Int(lead) & 0x1F) << 6 | Int(text[position + 1]) & 0x3F
                  } else {
                    length = lead >= 0xF0 ? 4 : 1
                    scalar = -1
                  }
                  // Where the walk goes on from: past the first character, or the root for one beyond the BMP.
                  var state = -1
                  var index = position
                  if scalar >= 0 {
                    let word = firstCharacters[scalar >> 6]
                    let bit: UInt64 = 1 << (UInt64(scalar) & 63)
                    if word.bits & bit != 0 {
                      state = Int(firstSlots[Int(word.rankBefore) &+ (word.bits & (bit &- 1)).nonzeroBitCount])
                      index = position &+ length
                      for term in Int(endingStart[state])..<Int(endingStart[state &+ 1]) {
                        if !found(ending[term], Int32(index)) { return }
                      }
                    }
                  } else if astralFirstCharacter && lead >= 0xF0 {
                    state = 0
                  }
                  if state >= 0 {
                    while index < count {
                      let next = Int(base[state]) &+ Int(text[index])
                      if Int(check[next]) != state { break }
                      state = next
                      index &+= 1
                      for term in Int(endingStart[state])..<Int(endingStart[state &+ 1]) {
                        if !found(ending[term], Int32(index)) { return }
                      }
                    }
                  }
                  position &+= length
                }
              }
            }
          }
        }
      }
    }
  }
}
