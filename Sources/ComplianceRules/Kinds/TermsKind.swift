import ListingParser

/// Kind `terms`: words or patterns that must not appear, with the lawful uses that contain them.
///
/// Word lists go through the shared automaton; `patterns` are regular expressions for claims with structure
/// (`分享到3个群…领取`), run only on blocks where a `trigger` word was found. A match is lawful when an exception
/// covers it (`最佳赏味期` covers `最佳`), when the clause denies it (`不能治疗疾病`, or a quotation it disowns:
/// `我们从不说“概不退换”`; see `ClauseReading`), or when its block matches an `unless` pattern (a rank with its
/// period and source). A word that begins or ends with a Latin letter or digit is not found inside a longer word
/// or number: `TOP1` is not in a shop's `TOP10` menu.
package struct TermsKind: Rule {
  public struct Spec: Sendable {
    public var terms: [String] = []
    public var patterns: [String] = []
    public var triggers: [String] = []
    public var exceptions: [String] = []
    /// Regular expressions for lawful phrases with structure; a match they cover is not reported.
    public var exceptionPatterns: [String] = []
    public var negations: [String] = []
    /// Patterns by which a listing declares a name (its `code` group): a trademark (`商标：王牌`), a book's title
    /// (`书名：…`, `《…》`). The name is a name wherever it then appears on the listing, not a claim about the goods.
    public var names: [String] = []
    public var unless: [String] = []
    /// `unless` patterns look at the whole listing, not only the matching block (a 限时 headline whose period is
    /// stated in the next paragraph).
    public var unlessAnywhere = false
    public var categories = CategoryFilter.any
    /// The rule applies only to listings that meet one of these: a category, a feed field set, a word shown.
    public var when = Condition.Spec()
    /// The rule applies only to listings that are (or are not) the goods a ruleset defines: `goods: food`.
    public var goods: GoodsCondition.Spec?
    public var scopes: Set<Scope> = []
    public init() {}
  }

  public let description: RuleDescription
  let terms: TermIndex.SetID
  let exceptions: TermIndex.SetID
  let patterns: TriggeredPatterns
  let exceptionPatterns: [Pattern]
  /// Gated by their own opening words (商标, 书名, 《 …), so that a listing's every block is not searched for them.
  let names: TriggeredPatterns
  let unless: [Pattern]
  let unlessAnywhere: Bool
  let negations: [[UInt8]]
  let categories: CategoryCondition
  let when: Condition
  let goods: GoodsCondition?
  let scopes: Set<Scope>

  public init(_ description: RuleDescription, spec: Spec, index: inout TermIndex.Builder) throws {
    self.description = description
    terms = index.register(spec.terms)
    exceptions = index.register(spec.exceptions)
    patterns = try TriggeredPatterns(spec.patterns, triggers: spec.triggers, index: &index)
    exceptionPatterns = try spec.exceptionPatterns.map(Pattern.init)
    names = try TriggeredPatterns(
      spec.names, triggers: spec.names.flatMap { Pattern.leadingWords(of: $0) ?? [] }, index: &index)
    unless = try spec.unless.map(Pattern.init)
    unlessAnywhere = spec.unlessAnywhere
    negations = spec.negations.map { Array(NormalizedText.normalize($0).utf8) }
    categories = CategoryCondition(spec.categories, index: &index)
    when = Condition(spec.when, index: &index)
    goods = try spec.goods.map { try GoodsCondition($0, index: &index) }
    scopes = spec.scopes.isEmpty ? Scope.shopperVisible : spec.scopes
  }

  public func check(_ context: ListingContext, into sink: inout FindingSink) {
    guard categories.matches(context), when.holds(for: context) else { return }
    if let goods, !goods.holds(for: context) { return }
    // Text no shopper sees is read only by a rule that names scope `hidden` (a fee kept in a display:none block).
    let readsHidden = scopes.contains(.hidden)
    var candidates: [(block: Int, start: Int, end: Int)] = context.hits(terms, includingHidden: readsHidden).compactMap {
      hit in
      Self.isInsideLongerWord(context.normalized[hit.block].bytes, start: hit.start, end: hit.end)
        ? nil : (hit.block, hit.start, hit.end)
    }
    patterns.forEachMatch(in: context, includingHidden: readsHidden, where: { context.block($0, isIn: scopes) }) {
      block, match in
      candidates.append((block, match.start, match.end))
      return true
    }
    guard !candidates.isEmpty else { return }
    let exceptionHits = context.hits(exceptions)
    if unlessAnywhere, context.normalized.indices.contains(where: { block in
      context.isVisible(block) && unless.contains { $0.occurs(in: context.normalized[block]) }
    }) {
      return
    }
    var unlessCache: [Int: Bool] = [:]
    var declaredNames: [[UInt8]]?
    for candidate in Self.merged(candidates) {
      guard context.block(candidate.block, isIn: scopes) else { continue }
      if exceptionHits.contains(where: {
        $0.block == candidate.block && $0.start <= candidate.start && $0.end >= candidate.end
      }) { continue }
      // The text shown next, for a question whose answer is the next block (an FAQ's `<dd>`).
      let next = candidate.block + 1
      let following: ArraySlice<UInt8> =
        next < context.normalized.count && context.isVisible(next) ? context.normalized[next].bytes[...] : []
      let reading = ClauseReading.stance(
        start: candidate.start, end: candidate.end, in: context.normalized[candidate.block].bytes, negations: negations,
        following: following)
      if reading != .asserted { continue }
      if exceptionPatterns.contains(where: {
        $0.covers(candidate.start, candidate.end, in: context.normalized[candidate.block])
      }) { continue }
      if !names.patterns.isEmpty {
        let declared = declaredNames ?? Self.declaredNames(by: names, in: context)
        declaredNames = declared
        let bytes = context.normalized[candidate.block].bytes
        if declared.contains(where: { name in
          name.count >= candidate.end - candidate.start
            && (max(0, candidate.end - name.count)...candidate.start).contains { bytes.has(name, at: $0) }
        }) { continue }
      }
      if !unless.isEmpty, !unlessAnywhere {
        let lawful = unlessCache[candidate.block] ?? unless.contains { $0.occurs(in: context.normalized[candidate.block]) }
        unlessCache[candidate.block] = lawful
        if lawful { continue }
      }
      let original = context.original(block: candidate.block, start: candidate.start, end: candidate.end)
      sink.report(description, evidence: original.text, at: original.location)
    }
  }

  /// The names the listing's shown text declares (the `code` group of each `names` pattern), normalised.
  static func declaredNames(by patterns: TriggeredPatterns, in context: ListingContext) -> [[UInt8]] {
    var names: [[UInt8]] = []
    patterns.forEachMatch(in: context) { block, match in
      if match.groupEnd > match.groupStart {
        let name = Array(context.normalized[block].bytes[match.groupStart..<match.groupEnd])
        if !names.contains(name) { names.append(name) }
      }
      return true
    }
    return names
  }

  /// Overlapping matches report once, as the span they cover together (`史上最` and `最强` → `史上最强`), in text
  /// order.
  static func merged(_ candidates: [(block: Int, start: Int, end: Int)]) -> [(block: Int, start: Int, end: Int)] {
    let sorted = candidates.sorted {
      ($0.block, $0.start, -$0.end) < ($1.block, $1.start, -$1.end)
    }
    var kept: [(block: Int, start: Int, end: Int)] = []
    for candidate in sorted {
      if let last = kept.last, last.block == candidate.block, candidate.start < last.end {
        kept[kept.count - 1].end = max(last.end, candidate.end)
        continue
      }
      kept.append(candidate)
    }
    return kept
  }

  /// Whether the word at `start..<end` continues a run of Latin letters or of digits on either side: `TOP1` in
  /// `top10`, `100%` in `1100%`, `no.1` in `no.12`. CJK words have no such boundary and always count.
  static func isInsideLongerWord(_ bytes: [UInt8], start: Int, end: Int) -> Bool {
    func kind(_ byte: UInt8) -> Int {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return 1
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return 2
      default: return 0
      }
    }
    if start > 0, kind(bytes[start]) != 0, kind(bytes[start - 1]) == kind(bytes[start]) { return true }
    if end < bytes.count, end > start, kind(bytes[end - 1]) != 0, kind(bytes[end]) == kind(bytes[end - 1]) {
      return true
    }
    return false
  }
}

extension Scope {
  /// What a shopper reads: the page (its `<nav>` menus included) and the feed's title, description and return
  /// policy — not the seller's registered name or the category path, which are not advertising copy.
  public static let shopperVisible: Set<Scope> = [
    .title, .metaDescription, .body, .price, .originalPrice, .navigation, .imgAlt, .jsonld, .feedTitle,
    .feedDescription, .feedReturnPolicy,
  ]
}
