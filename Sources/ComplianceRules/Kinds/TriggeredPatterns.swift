import Algorithms

/// Regular expressions gated by trigger words: tried only on blocks where a trigger was found.
///
/// When every match must start with a word that contains a trigger — `(原产国|原产地|产地)…` with triggers
/// 原产国, 原产地, 产地; `(统一社会信用代码|信用代码)…` with trigger 信用代码 — the expression is anchored at the places the
/// term scan found those triggers instead of searching the block: on catalogue pages a trigger such as 产地 turns up
/// in long descriptions (产地直供), and the search over those blocks was most of the regular-expression time.
///
/// When the opening words hold no trigger — `(全国|行业|同类…)[^。]{0,6}(领先|冠军|第一)` with triggers 领先, 冠军, 第一 —
/// the opening words are a word list of their own, and in a block with a trigger the expression is anchored where
/// the term scan found one of them: 第一 is in most catalogue descriptions (第一次, 第一时间), and ICU's search for the
/// opening group at every character of those blocks was half of all the instructions of a run.
struct TriggeredPatterns: Sendable {
  let patterns: [Pattern]
  let triggers: TermIndex.SetID
  /// Patterns without triggers run on every block (the loader allows that only where a rule needs it).
  let runEverywhere: Bool
  /// Per pattern: `anchors[p][t]` lists how many bytes before trigger term `t` a match of pattern `p` starts; nil
  /// when a match of `p` may start elsewhere.
  let anchors: [[[Int]]?]
  /// Per pattern without `anchors`: its opening words as a word list, when it opens with plain words (a match
  /// starts exactly where one of them is found); nil when a match may start anywhere.
  let leadingWordSets: [TermIndex.SetID?]
  /// Per anchored pattern: words one of which must start within `reach` bytes of a match's start (`Pattern.follower`).
  /// The rank patterns are anchored at 全国, 中国, 行业…, common words, and most of those anchors have no 领先 or 第一
  /// anywhere near: asking ICU at each cost some 17,000 instructions, a third of a run.
  ///
  /// The words are looked for in that window at each anchor, by an automaton of their own, not by the page scan:
  /// followers are often one common character (用, 是, 后), and as word lists of the shared index they were over half
  /// of a page's 3,500 hits, each paid for on every page whether or not an anchor was near.
  let followers: [Follower?]

  struct Follower {
    let words: TermMatcher
    let reach: Int
    /// The longest word's length in bytes: a word starting at `reach` ends this much further.
    let longest: Int
  }

  init(_ sources: [String], triggers triggerTerms: [String], index: inout TermIndex.Builder) throws {
    patterns = try sources.map(Pattern.init)
    triggers = index.register(triggerTerms)
    runEverywhere = triggerTerms.isEmpty
    let normalizedTriggers = triggerTerms.map { Array(NormalizedText.normalize($0).utf8) }
    anchors = patterns.map { pattern in
      guard let words = pattern.leadingWords, !normalizedTriggers.isEmpty else { return nil }
      var offsets = [[Int]](repeating: [], count: normalizedTriggers.count)
      for word in words.map({ Array($0.utf8) }) {
        var covered = false
        for (term, trigger) in normalizedTriggers.enumerated() where !trigger.isEmpty && trigger.count <= word.count {
          for offset in 0...(word.count - trigger.count) where word[offset..<(offset + trigger.count)].elementsEqual(trigger) {
            offsets[term].append(offset)
            covered = true
          }
        }
        // A leading word with no trigger inside could start a match the term scan never pointed at.
        if !covered { return nil }
      }
      return offsets.map { Array(Set($0)).sorted() }
    }
    var leadingWordSets: [TermIndex.SetID?] = []
    for (pattern, anchors) in zip(patterns, anchors) {
      guard anchors == nil, !runEverywhere, let words = pattern.leadingWords else {
        leadingWordSets.append(nil)
        continue
      }
      leadingWordSets.append(index.register(words))
    }
    self.leadingWordSets = leadingWordSets
    followers = patterns.indices.map { [patterns, anchors] number in
      guard anchors[number] != nil || leadingWordSets[number] != nil,
        let follower = Pattern.follower(of: patterns[number].source)
      else { return nil }
      let words = follower.words.map { Array($0.utf8) }
      return Follower(
        words: TermMatcher(patterns: words), reach: follower.reach, longest: words.map(\.count).max() ?? 0)
    }
  }

  /// Calls `body` with each match, block by block in order and then pattern by pattern, in the blocks `include`
  /// accepts among those a shopper sees (and those in scope `hidden` with `includingHidden`); `body` returns false
  /// to stop.
  func forEachMatch(
    in context: ListingContext, includingHidden: Bool = false, where include: (Int) -> Bool = { _ in true },
    _ body: (Int, Pattern.Match) -> Bool
  ) {
    guard !patterns.isEmpty else { return }
    if runEverywhere {
      // The visibility test is written out at each use: a closure combining it with `include`, kept in a variable,
      // copied the whole context onto the heap at every call (60,000 times on 2,000 listings).
      for block in context.blocks.indices where (includingHidden || context.isVisible(block)) && include(block) {
        for pattern in patterns {
          for match in pattern.matches(in: context.normalized[block]) where !body(block, match) { return }
        }
      }
      return
    }
    // The trigger hits come in block order, so each block's hits are one run of the list.
    let hits = context.hits(triggers, includingHidden: includingHidden)
    var starts: [Int] = []
    var runStart = 0
    while runStart < hits.count {
      let block = hits[runStart].block
      var runEnd = runStart + 1
      while runEnd < hits.count, hits[runEnd].block == block { runEnd += 1 }
      let blockHits = hits[runStart..<runEnd]
      runStart = runEnd
      guard (includingHidden || context.isVisible(block)) && include(block) else { continue }
      for (index, pattern) in patterns.enumerated() {
        let matches: [Pattern.Match]
        if let anchors = anchors[index] {
          starts.removeAll(keepingCapacity: true)
          for hit in blockHits {
            for offset in anchors[hit.term] where hit.start >= offset { starts.append(hit.start - offset) }
          }
          Self.keepFollowed(&starts, by: followers[index], in: context.normalized[block])
          matches = pattern.matches(in: context.normalized[block], startingAt: Self.sortedUnique(&starts))
        } else if let words = leadingWordSets[index] {
          starts.removeAll(keepingCapacity: true)
          for hit in Self.hits(context.hits(words, includingHidden: includingHidden), inBlock: block) {
            starts.append(hit.start)
          }
          Self.keepFollowed(&starts, by: followers[index], in: context.normalized[block])
          matches = pattern.matches(in: context.normalized[block], startingAt: Self.sortedUnique(&starts))
        } else {
          matches = pattern.matches(in: context.normalized[block])
        }
        for match in matches where !body(block, match) { return }
      }
    }
  }

  /// Drops the starts that have none of the pattern's follower words within reach (no match can start there).
  private static func keepFollowed(_ starts: inout [Int], by follower: Follower?, in text: NormalizedText) {
    guard let follower, !starts.isEmpty else { return }
    text.bytes.withUnsafeBufferPointer { bytes in
      starts.removeAll { start in
        let end = min(bytes.count, start + follower.reach + follower.longest)
        let window = UnsafeBufferPointer(rebasing: bytes[start..<end])
        return !follower.words.occurs(in: window, startingBefore: follower.reach + 1)
      }
    }
  }

  /// The hits in `block` of a list that comes in block order.
  private static func hits(_ hits: [TermIndex.Hit], inBlock block: Int) -> ArraySlice<TermIndex.Hit> {
    let first = hits.partitioningIndex { $0.block >= block }
    return hits[first..<hits[first...].partitioningIndex { $0.block > block }]
  }

  /// `values` sorted, each once.
  private static func sortedUnique(_ values: inout [Int]) -> [Int] {
    values.sort()
    var kept = 0
    for index in values.indices where kept == 0 || values[kept - 1] != values[index] {
      values[kept] = values[index]
      kept += 1
    }
    values.removeLast(values.count - kept)
    return values
  }
}
