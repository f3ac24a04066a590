/// The shared keyword index: every rule registers its word lists here, and one automaton finds them all.
public struct TermIndex: Sendable {
  /// Names a word list a rule registered; the context returns that list's hits.
  public struct SetID: Hashable, Sendable {
    let raw: Int
  }

  /// Collects word lists before the automaton is built.
  public struct Builder {
    fileprivate var patterns: [[UInt8]] = []
    fileprivate var owners: [(set: Int, term: Int)] = []
    fileprivate var setTerms: [[String]] = []
    /// Lists already registered, so rules sharing a list (the cross-border triggers, the 划线价 wording) share its
    /// patterns instead of putting each word into the automaton once per rule.
    fileprivate var setByTerms: [[String]: Int] = [:]

    public init() {}

    /// Registers a word list; terms are normalised the way the text will be. The same list registered twice is
    /// one set.
    public mutating func register(_ terms: [String]) -> SetID {
      let normalizedTerms = terms.map(NormalizedText.normalize)
      if let existing = setByTerms[normalizedTerms] { return SetID(raw: existing) }
      let set = setTerms.count
      for (index, normalized) in normalizedTerms.enumerated() where !normalized.isEmpty {
        patterns.append(Array(normalized.utf8))
        owners.append((set, index))
      }
      setTerms.append(normalizedTerms)
      setByTerms[normalizedTerms] = set
      return SetID(raw: set)
    }

    public func build() -> TermIndex { TermIndex(self) }
  }

  let automaton: TermMatcher
  let owners: [(set: Int, term: Int)]
  public let setCount: Int

  init(_ builder: Builder) {
    automaton = TermMatcher(patterns: builder.patterns)
    owners = builder.owners
    setCount = builder.setTerms.count
  }

  /// A term found in a block: which term of which list, and its normalised byte range.
  public struct Hit: Sendable {
    public var term: Int
    public var block: Int
    public var start: Int
    public var end: Int
  }

  /// All hits in the given normalised blocks, grouped by word list. The matches of all blocks are gathered first
  /// and counted per list, so each list's array is allocated once at its size (a catalogue page has some 150 hits
  /// in a few dozen lists; growing those arrays, and a match array per block, made a fifth of its allocations).
  func hits(in blocks: [NormalizedText]) -> [[Hit]] {
    var blockMatches: [TermMatcher.Match] = []
    var all: [(block: Int, match: TermMatcher.Match)] = []
    all.reserveCapacity(256)
    var counts = [Int](repeating: 0, count: setCount)
    for (blockIndex, block) in blocks.enumerated() {
      automaton.matches(in: block.bytes, into: &blockMatches)
      for match in blockMatches {
        counts[owners[Int(match.pattern)].set] += 1
        all.append((blockIndex, match))
      }
    }
    var bySet = [[Hit]](repeating: [], count: setCount)
    for (set, count) in counts.enumerated() where count > 0 { bySet[set].reserveCapacity(count) }
    for (block, match) in all {
      let owner = owners[Int(match.pattern)]
      let end = Int(match.end)
      let start = end - Int(automaton.patternLengths[Int(match.pattern)])
      bySet[owner.set].append(Hit(term: owner.term, block: block, start: start, end: end))
    }
    return bySet
  }
}
