/// How the clause around a match holds it: said, denied, or only quoted in order to be denied.
///
/// A rule says what must not be claimed (`概不退换`, `最终解释权`); whether the page *claims* it is a question of
/// reading, the same for every rule: `不能治疗疾病` denies the claim, and `我们从不说“概不退换”` or
/// `「不退不换」这种话本店不会说` mention a refusal only to disown it. Rules name their own negation words; the
/// reader adds the words that disown a quotation. It runs only on candidate matches, over a few dozen bytes.
public enum ClauseReading {
  public enum Stance: Equatable, Sendable {
    /// The clause makes the claim.
    case asserted
    /// A negation earlier in the same clause denies it (`不能…治疗`).
    case negated
    /// The match sits inside quotation marks that the clause around them denies, before or after the quote.
    case deniedQuotation
    /// The match is asked about, and the answer that follows denies it: `问：能治咽炎吗？答：不能哦`.
    case deniedQuestion
  }

  /// The stance of the match at `start..<end` of normalised `bytes`, given the rule's own `negations`. `following`
  /// is the text shown next when `bytes` ends (an FAQ's `<dd>` answer after its `<dt>` question).
  public static func stance(
    start: Int, end: Int, in bytes: [UInt8], negations: [[UInt8]], following: ArraySlice<UInt8> = []
  ) -> Stance {
    if let quote = enclosingQuotation(start: start, end: end, in: bytes) {
      let before = clause(endingAt: quote.open, in: bytes)
      var after = clause(startingAt: quote.close, in: bytes)
      // `“一经售出概不退换”的说法，本店不会有`: a quotation named as a saying is denied in the clause that follows.
      if framings.contains(where: { after.contains(subsequence: $0) }), after.endIndex < bytes.count {
        after = bytes[after.startIndex..<clause(startingAt: nextClause(after: after.endIndex, in: bytes), in: bytes)
          .endIndex]
      }
      let denials = negations + quotationDenials
      if denials.contains(where: { before.contains(subsequence: $0) || after.contains(subsequence: $0) }) {
        return .deniedQuotation
      }
    }
    let before = clause(endingAt: start, in: bytes, limit: 30)
    if negations.contains(where: { before.contains(subsequence: $0) }) { return .negated }
    return answerDenies(questionEndingAfter: end, in: bytes, following: following) ? .deniedQuestion : .asserted
  }

  /// Whether the clause holding `end` is a question (`…吗？`) and the answer after it denies it. A question answered
  /// yes, or left unanswered (`想降血糖吗？试试它`), still makes the claim. An FAQ's question cell may end without its
  /// mark (`<dt>Q：能降血糖吗</dt>`), and a claim the shopper reports (`听说蜂蜜能降血糖`) at the end of the question
  /// cell is put to the answer just as a question is.
  static func answerDenies(questionEndingAfter end: Int, in bytes: [UInt8], following: ArraySlice<UInt8>) -> Bool {
    var index = end
    let limit = min(bytes.count, end + 45)
    while index < limit, !questionMarks.contains(where: { bytes.has($0, at: index) }), bytes[index] != cellBar {
      if separators.contains(where: { bytes.has($0, at: index) }) { return false }
      index += 1
    }
    let answer: ArraySlice<UInt8>
    if index < limit, bytes[index] != cellBar {
      let particle = questionParticles.contains { index >= $0.count && bytes.has($0, at: index - $0.count) }
      guard particle || alternativeQuestions.contains(where: { clause(endingAt: end, in: bytes).contains(subsequence: $0) })
      else { return false }
      let mark = questionMarks.first { bytes.has($0, at: index) }?.count ?? 1
      answer = index + mark < bytes.count ? bytes[(index + mark)...] : following
    } else {
      // The clause runs to the end of its cell or block: a question without its mark, or hearsay, answered by the
      // next cell or block.
      guard index == bytes.count || bytes[index] == cellBar else { return false }
      answer = index < bytes.count ? bytes[(index + 1)...] : following
      var close = index
      while close > end, bytes[close - 1] == UInt8(ascii: " ") { close -= 1 }
      let asked = questionParticles.contains { close >= $0.count && bytes.has($0, at: close - $0.count) }
      let reported = hearsay.contains { clause(endingAt: end, in: bytes, limit: 60).contains(subsequence: $0) }
      guard asked || reported, !answer.isEmpty else { return false }
    }
    return deniesAtOnce(answer)
  }

  /// Whether an answer denies at once: it opens with a denial (`不能哦`), or its first clause holds one
  /// (`本品不是药物，…`, `保健食品不能治疗疾病`).
  static func deniesAtOnce(_ text: ArraySlice<UInt8>) -> Bool {
    var answer = text
    while let lead = answerLeads.first(where: { answer.starts(with: $0) }) { answer = answer.dropFirst(lead.count) }
    if answerDenials.contains(where: { answer.starts(with: $0) }) { return true }
    let first = clause(startingAt: 0, in: Array(answer))
    return answerDenials.contains { first.contains(subsequence: $0) }
  }

  static let questionMarks: [[UInt8]] = ["?"].map(utf8)
  /// What joins a question cell to its answer cell in one block (`<dt>` | `<dd>`).
  static let cellBar = UInt8(ascii: "|")
  /// Words that report what others say: the claim after them is put to the answer, not made.
  static let hearsay: [[UInt8]] = ["听说", "据说", "听人说", "有人说", "网上说", "别人说", "都说"].map(utf8)
  static let questionParticles: [[UInt8]] = ["吗", "么", "嘛", "没有", "不"].map(utf8)
  /// A question asked as a choice between yes and no before the claim: `这是不是全网最低价？`, `能不能降血糖？`.
  static let alternativeQuestions: [[UInt8]] = ["是不是", "能不能", "会不会", "有没有", "可不可以", "算不算"].map(utf8)
  /// What may stand before an answer's first word: the `答：` label, a space, a line end, or the ` | ` between a
  /// question cell and its answer cell (`<dt>`/`<dd>`); after a quoted question, the closing mark, a dash and a
  /// frank opener (`“能治骨质疏松吗？”——说实话，保健食品不能治疗疾病`).
  static let answerLeads: [[UInt8]] =
    [" ", "\n", "|"].map { Array($0.utf8) }
    + ["答", "a", ":", "回复", "客服", "—", "-", "，", ",", "说实话", "老实说", "实话说", "实话实说", "坦白说"].map(utf8)
    + closers
  static let answerDenials: [[UInt8]] = [
    "不能", "不可以", "不可", "不会", "不行", "不是", "不治", "没有", "没用", "没这", "并不", "不具备", "不具有", "无法",
    // The seller who will not vouch for it (`这个我真不敢说`) makes no claim.
    "不敢说", "不敢保证", "不敢打包票",
  ].map(utf8)

  /// Whether the sentence before `start` names the marketplace's operator as the one it speaks of: a footer's
  /// `平台运营方：某某科技有限公司　营业执照 …` shows the platform's licence, which is not the seller's (电子商务法
  /// art 15 asks each seller to show its own). The sentence is read back to its end mark, at most 60 characters.
  public static func namesPlatformOperator(before start: Int, in bytes: [UInt8]) -> Bool {
    var from = max(0, start - operatorReach)
    while from < start, bytes[from] & 0xC0 == 0x80 { from += 1 }
    var index = start
    while index > from {
      index -= 1
      if let end = operatorSentenceEnds.first(where: { bytes.has($0, at: index) }), index + end.count <= start {
        from = index + end.count
        break
      }
    }
    let sentence = bytes[from..<start]
    return platformOperators.contains { sentence.contains(subsequence: $0) }
  }

  /// Who runs the marketplace rather than sells on it, named or known by the licence only a site's operator holds:
  /// a footer line carrying an ICP 经营许可证 (`京ICP证070359号 · 营业执照`) is the marketplace's own, as a shop
  /// on it holds no telecom licence.
  static let platformOperators: [[UInt8]] = [
    "平台运营方", "平台运营者", "平台经营者", "平台方", "运营主体", "网站运营方", "网站运营者", "网站经营者", "网站主办方",
    "平台运营商", "平台主体", "商城运营方", "商城经营者", "icp证", "增值电信业务经营许可证",
  ].map(utf8)
  static let operatorSentenceEnds: [[UInt8]] = ["。", "；", ";", "\n", "！", "？", "!", "?"].map(utf8)
  static let operatorReach = 180

  /// Words that disown a quoted phrase: the shop never says it, it is not its rule, it is unlawful.
  static let quotationDenials: [[UInt8]] = [
    "从不", "从来不", "从没", "从来没", "绝不", "决不", "不会", "不说", "不讲", "没有", "拒绝", "杜绝", "告别", "不存在", "不是",
    "不搞", "不写", "无效", "违法", "不合法", "不再", "才不", "不使用", "不用", "禁用", "禁止使用", "不得使用", "避免使用",
    "不这么", "不这样", "最怕", "最讨厌", "最烦",
  ].map(utf8)

  /// Words after a quotation that name it as something said rather than say it: its denial may follow in the next
  /// clause.
  static let framings: [[UInt8]] = [
    "说法", "这种话", "这类话", "这句话", "字样", "用语", "字眼", "规矩", "套路", "做法", "个字",
  ].map(utf8)

  /// Quotation marks after normalisation (NFKC keeps the CJK and curly marks; full-width `＂＇` become ASCII).
  static let openers: [[UInt8]] = ["“", "「", "『", "‘", "\"", "'"].map(utf8)
  static let closers: [[UInt8]] = ["”", "」", "』", "’", "\"", "'"].map(utf8)
  /// Punctuation that ends a clause; a contrast (`却`, `但`) ends it too: the negation before it is of something else.
  static let separators: [[UInt8]] = ["，", "。", "；", "！", "？", ",", ";", "!", "?", "\n", "却", "但"].map(utf8)
  /// A quotation is not looked for past a sentence end.
  static let sentenceEnds: [[UInt8]] = ["。", "\n", "！", "？", "!", "?"].map(utf8)
  static let quoteReach = 90

  /// The byte offsets of the opening mark before `start` and just past the closing mark after `end`, when the match
  /// lies between a pair of quotation marks in the same sentence.
  static func enclosingQuotation(start: Int, end: Int, in bytes: [UInt8]) -> (open: Int, close: Int)? {
    var open: Int?
    var index = start
    while index > max(0, start - quoteReach), open == nil {
      index -= 1
      if sentenceEnds.contains(where: { bytes.has($0, at: index) }) { return nil }
      // A closing mark first means the match follows a quotation rather than sitting in one.
      let opens = openers.contains { bytes.has($0, at: index) }
      if !opens, closers.contains(where: { bytes.has($0, at: index) }) { return nil }
      if opens { open = index }
    }
    guard let open else { return nil }
    index = end
    while index < min(bytes.count, end + quoteReach) {
      if sentenceEnds.contains(where: { bytes.has($0, at: index) }) { return nil }
      if let closer = closers.first(where: { bytes.has($0, at: index) }) { return (open, index + closer.count) }
      index += 1
    }
    return nil
  }

  /// The clause text that ends at `end`: back to the previous separator, at most `limit` bytes. `separators` are the
  /// sentence's unless the text has its own (a price block's are spaces, slashes and brackets too).
  static func clause(
    endingAt end: Int, in bytes: [UInt8], limit: Int = 45, separators: [[UInt8]] = separators
  ) -> ArraySlice<UInt8> {
    var from = max(0, end - limit)
    while from < end, bytes[from] & 0xC0 == 0x80 { from += 1 }
    var index = end
    while index > from {
      index -= 1
      if let separator = separators.first(where: { bytes.has($0, at: index) }), index + separator.count <= end {
        return bytes[(index + separator.count)..<end]
      }
    }
    return bytes[from..<end]
  }

  /// Where the clause after the separator at `end` starts (`end` itself when no separator is there).
  static func nextClause(after end: Int, in bytes: [UInt8]) -> Int {
    guard let separator = separators.first(where: { bytes.has($0, at: end) }) else { return end }
    return end + separator.count
  }

  /// The clause text that starts at `start`: up to the next separator, at most `limit` bytes.
  static func clause(
    startingAt start: Int, in bytes: [UInt8], limit: Int = 45, separators: [[UInt8]] = separators
  ) -> ArraySlice<UInt8> {
    let limit = min(bytes.count, start + limit)
    var index = start
    while index < limit {
      if separators.contains(where: { bytes.has($0, at: index) }) { return bytes[start..<index] }
      index += 1
    }
    var to = limit
    while to > start, to < bytes.count, bytes[to] & 0xC0 == 0x80 { to -= 1 }
    return bytes[start..<to]
  }

  /// The normalised bytes of `text`; a line end, which normalisation folds into spacing, stays a line end.
  static func utf8(_ text: String) -> [UInt8] {
    text == "\n" ? [UInt8(ascii: "\n")] : Array(NormalizedText.normalize(text).utf8)
  }
}

extension Array where Element == UInt8 {
  /// Whether `needle` occurs at byte `offset`.
  func has(_ needle: [UInt8], at offset: Int) -> Bool {
    offset >= 0 && offset + needle.count <= count && self[offset..<(offset + needle.count)].elementsEqual(needle)
  }
}

extension ArraySlice where Element == UInt8 {
  func contains(subsequence needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, needle.count <= count else { return false }
    var index = startIndex
    while index + needle.count <= endIndex {
      if self[index..<(index + needle.count)].elementsEqual(needle) { return true }
      index += 1
    }
    return false
  }
}
