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

  /// All hits in the given normalised blocks, grouped by word list.
  func hits(in blocks: [NormalizedText]) -> [[Hit]] {
    var bySet = [[Hit]](repeating: [], count: setCount)
    for (blockIndex, block) in blocks.enumerated() {
      for match in automaton.matches(in: block.bytes) {
        let owner = owners[Int(match.pattern)]
        let end = Int(match.end)
        let start = end - Int(automaton.patternLengths[Int(match.pattern)])
        bySet[owner.set].append(Hit(term: owner.term, block: blockIndex, start: start, end: end))
      }
    }
    return bySet
  }
}
