/// The shared keyword index: every rule registers its word lists here, and one automaton finds them all. Goods
/// definitions the rules ask about are registered here too, so that each is decided once per listing.
public struct TermIndex: Sendable {
  /// Names a word list a rule registered; the context returns that list's hits.
  public struct SetID: Hashable, Sendable {
    let raw: Int
  }

  /// Names a goods definition a rule asked about; the context says whether the listing is such goods.
  public struct GoodsID: Hashable, Sendable {
    let raw: Int
  }

  /// Names a list of category entries a rule registered; the context says whether the listing's path holds one.
  public struct CategoriesID: Hashable, Sendable {
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
    fileprivate var goods: [Goods] = []
    fileprivate var goodsByName: [String: Int] = [:]
    /// Category entries, each distinct one once, and the lists of them rules registered.
    fileprivate var categoryEntries: [[UInt8]] = []
    fileprivate var categoryEntryByBytes: [[UInt8]: Int] = [:]
    fileprivate var categoryLists: [CategoryList] = []
    fileprivate var categoryListByEntries: [[String]: Int] = [:]

    public init() {}

    /// Registers a list of category entries (`食品`, `保健食品`), matched as they are written, not normalised.
    public mutating func register(categories entries: [String]) -> CategoriesID {
      if let existing = categoryListByEntries[entries] { return CategoriesID(raw: existing) }
      var list = CategoryList(entries: [], holdsEmpty: false)
      for entry in entries {
        guard !entry.isEmpty else {
          list.holdsEmpty = true
          continue
        }
        let bytes = Array(entry.utf8)
        if let known = categoryEntryByBytes[bytes] {
          list.entries.append(known)
        } else {
          categoryEntryByBytes[bytes] = categoryEntries.count
          list.entries.append(categoryEntries.count)
          categoryEntries.append(bytes)
        }
      }
      categoryListByEntries[entries] = categoryLists.count
      categoryLists.append(list)
      return CategoriesID(raw: categoryLists.count - 1)
    }

    /// Registers the goods definition `name` (its word lists with it) the first time a rule asks about it.
    package mutating func register(goods name: String, _ spec: Goods.Spec) throws -> GoodsID {
      if let existing = goodsByName[name] { return GoodsID(raw: existing) }
      let definition = try Goods(spec, index: &self)
      goodsByName[name] = goods.count
      goods.append(definition)
      return GoodsID(raw: goods.count - 1)
    }

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
  /// By `GoodsID`.
  let goods: [Goods]
  /// Every category entry of every list, in one automaton scanned once over a listing's path.
  let categoryEntries: TermMatcher
  /// By `CategoriesID`.
  let categoryLists: [CategoryList]

  /// A list's entries (indices into the automaton's), and whether it holds the empty entry, which every path holds.
  struct CategoryList: Sendable {
    var entries: [Int]
    var holdsEmpty: Bool
  }

  init(_ builder: Builder) {
    automaton = TermMatcher(patterns: builder.patterns)
    owners = builder.owners
    setCount = builder.setTerms.count
    goods = builder.goods
    categoryEntries = TermMatcher(patterns: builder.categoryEntries)
    categoryLists = builder.categoryLists
  }

  /// By `CategoriesID`: whether the category path holds an entry of the list.
  func categoryListsMentioned(in category: String?) -> [Bool] {
    var found = [Bool](repeating: false, count: categoryEntries.patternLengths.count)
    if let category {
      for match in categoryEntries.matches(in: Array(category.utf8)) { found[Int(match.pattern)] = true }
    }
    return categoryLists.map { list in list.holdsEmpty || list.entries.contains { found[$0] } }
  }

  /// A term found in a block: which term of which list, and its normalised byte range.
  public struct Hit: Sendable {
    public var term: Int
    public var block: Int
    public var start: Int
    public var end: Int
  }

  /// All hits in the given normalised blocks, grouped by word list, and the same without the blocks `visible` says
  /// a shopper does not see, each list in block order.
  ///
  /// A catalogue page has some 1,500 matches, mostly of a few common words (第一, 中国, 产品…). They are gathered into
  /// one array, counted per list, placed list by list (a counting sort) and written once into arrays of their size;
  /// appending each hit to its list's array, and filtering every list again for the visible blocks, cost half as
  /// much as the scan that found them.
  func hits(in blocks: [NormalizedText], visible: [Bool]) -> (all: [[Hit]], visible: [[Hit]]) {
    var matches: [TermMatcher.Match] = []
    matches.reserveCapacity(4096)
    // Block b's matches end at `blockEnds[b]`.
    var blockEnds: [Int] = []
    blockEnds.reserveCapacity(blocks.count)
    for block in blocks {
      automaton.matches(in: block.bytes, appendingTo: &matches)
      blockEnds.append(matches.count)
    }
    var all = [[Hit]](repeating: [], count: setCount)
    var shown = all
    guard !matches.isEmpty else { return (all, shown) }
    // Per list: its hits, its hits in hidden blocks, and where the placement writes its next one.
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: setCount)
    let hiddenCounts = UnsafeMutableBufferPointer<Int>.allocate(capacity: setCount)
    let next = UnsafeMutableBufferPointer<Int>.allocate(capacity: setCount)
    // (block, match) of every match, list by list.
    let placed = UnsafeMutableBufferPointer<(block: Int, match: Int)>.allocate(capacity: matches.count)
    defer {
      counts.deallocate()
      hiddenCounts.deallocate()
      next.deallocate()
      placed.deallocate()
    }
    counts.initialize(repeating: 0)
    hiddenCounts.initialize(repeating: 0)
    owners.withUnsafeBufferPointer { owners in
      matches.withUnsafeBufferPointer { matches in
        var first = 0
        for (block, end) in blockEnds.enumerated() {
          let hidden = !visible[block]
          for match in matches[first..<end] {
            let set = owners[Int(match.pattern)].set
            counts[set] &+= 1
            if hidden { hiddenCounts[set] &+= 1 }
          }
          first = end
        }
        var start = 0
        for set in 0..<setCount {
          next[set] = start
          start &+= counts[set]
        }
        first = 0
        for (block, end) in blockEnds.enumerated() {
          for index in first..<end {
            let set = owners[Int(matches[index].pattern)].set
            placed[next[set]] = (block, index)
            next[set] &+= 1
          }
          first = end
        }
        automaton.patternLengths.withUnsafeBufferPointer { lengths in
          var start = 0
          for set in 0..<setCount where counts[set] > 0 {
            let count = counts[set]
            let hits = [Hit](unsafeUninitializedCapacity: count) { buffer, initialized in
              for (offset, (block, index)) in placed[start..<(start + count)].enumerated() {
                let match = matches[index]
                let end = Int(match.end)
                buffer.baseAddress!.advanced(by: offset).initialize(
                  to: Hit(
                    term: owners[Int(match.pattern)].term, block: block, start: end - Int(lengths[Int(match.pattern)]),
                    end: end))
              }
              initialized = count
            }
            all[set] = hits
            shown[set] = hiddenCounts[set] == 0 ? hits : hits.filter { visible[$0.block] }
            start += count
          }
        }
      }
    }
    return (all, shown)
  }
}
