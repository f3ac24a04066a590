import ListingParser

/// Wording that states what a 划线价 is (规定 art 16: a compared price whose details are stated need not be the
/// 7-day low): a reference price, a manufacturer's suggestion, a tag price, a book's printed price, or a price named
/// with the time it was charged. Naming the 7-day low states nothing: a 划线价 above the feed's 7-day low that says it
/// is that low is false, and one beside it (`划线价为日常价；前7日最低49.9`) is a compared price of no stated type.
///
/// `仅供参考` counts only when its sentence speaks of a price (`划线价…仅供参考`): `图片仅供参考，请以实物为准`, on
/// nearly every page, says nothing about the 划线价.
enum ReferenceBasis: Int, TermLists {
  /// Words that state the basis wherever they stand.
  case stated
  /// Words that state it only when said of a price.
  case statedOfPrice
  /// Words naming a price, which `statedOfPrice` needs before it in its sentence.
  case price
  /// Price types that state the basis only with a date beside them (`首发价…2025年11月`).
  case statedWithDate

  var words: [String] {
    switch self {
    case .stated: Self.terms
    case .statedOfPrice: Self.qualifiedTerms
    case .price: Self.priceWords
    case .statedWithDate: Self.datedTerms
    }
  }

  static let terms = [
    "并非原价", "非原价", "不是原价", "参考价", "建议零售价", "指导价", "吊牌价", "专柜价", "划线价格说明", "划线价说明",
    // The same denial with the shop named: the 划线价 is said not to be a price this shop charged.
    "并非本店原价", "非本店原价", "不是本店原价",
    // The maker's own published price, named as such (art 16 asks a maker's price to be labelled, and this labels it).
    "官网首发价", "官方首发价", "官网价",
    // A book's price as its publisher prints it.
    "标注定价", "封底定价", "出版社定价", "图书定价",
  ]
  /// Words that state a basis only when a price is named before them in the same sentence.
  static let qualifiedTerms = ["仅供参考", "仅供您参考", "仅作参考", "仅做参考"]
  static let datedTerms = ["划线价", "首发价", "上市价", "发售价", "上架价", "定价"]
  /// A price type named with the time it was charged: `划线价为2026年9月本店售价`, `首发价168（2026年10月20日上架）`.
  /// A price type alone (`划线价为活动前日常价`) states no time.
  private static let dated = try! ICURegex(
    #"(划线价|首发价|上市价|发售价|上架价|定价)[^。;!?\n]{0,40}(20\d{2}\s?[年./-]\s?\d{1,2}|(?<!\d)(1[0-2]|0?[1-9])\s?月)"#
      + #"|(20\d{2}\s?[年./-]\s?\d{1,2}|(?<!\d)(1[0-2]|0?[1-9])\s?月)[^。;!?\n]{0,30}(首发价|上市价|发售价|上架价|定价)"#,
    caseInsensitive: false)
  static let priceWords = ["划线价", "原价", "吊牌价", "参考价", "指导价", "专柜价", "零售价", "市场价", "价格", "标价"]
  /// How far before `仅供参考` the price word may end, in characters, with no sentence end between.
  static let reach = 30
  /// The ASCII bytes that end a sentence in normalised text (full-width ；！？ are folded to these); 。 stays
  /// full-width and is checked apart.
  static let sentenceEnds: [UInt8] = Array(";!?\n".utf8)

  /// Whether the listing states what its 划线价 is: a basis word, `仅供参考` said of a price, or a dated price type.
  ///
  /// Read from the word hits the scan already found, not by a regular expression over each block that holds
  /// 仅供参考: nearly every page says 图片仅供参考, and searching those blocks cost a third of a run.
  static func isStated(_ context: ListingContext, terms: RegisteredTerms<ReferenceBasis>) -> Bool {
    if context.hits(terms[.stated]).contains(where: { !isOneOfAlternatives($0, context) }) { return true }
    if context.blocks(withHitsOf: terms[.statedWithDate]).contains(where: {
      dated.firstMatch(in: context.normalized[$0].bytes) != nil
    }) { return true }
    let prices = context.hits(terms[.price])
    guard !prices.isEmpty else { return false }
    return context.hits(terms[.statedOfPrice]).contains { qualified in
      prices.contains { price in
        price.block == qualified.block && price.end <= qualified.start
          && saysOfPrice(context.normalized[qualified.block].bytes, from: price.end, to: qualified.start)
      }
    }
  }

  /// Price types that name a basis only when the page says which one the 划线价 is.
  static let priceTypes: Set<Int> = Set(["建议零售价", "指导价", "吊牌价", "专柜价"].compactMap(terms.firstIndex(of:)))
  static let alternative = Array(NormalizedText.normalize("或").utf8)

  /// Whether a stated price type is offered as one of several (`划线价为专柜价、吊牌价或零售价`): a list of what the
  /// 划线价 might be does not say what it is, so it states no basis (art 16).
  static func isOneOfAlternatives(_ hit: TermIndex.Hit, _ context: ListingContext) -> Bool {
    guard priceTypes.contains(hit.term) else { return false }
    let bytes = context.normalized[hit.block].bytes
    return ClauseReading.clause(endingAt: hit.start, in: bytes).contains(subsequence: alternative)
      || ClauseReading.clause(startingAt: hit.end, in: bytes).contains(subsequence: alternative)
  }

  /// Whether the text between a price word and `仅供参考` is at most `reach` characters of one sentence.
  static func saysOfPrice(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
    var characters = 0
    for index in start..<end {
      let byte = bytes[index]
      if byte & 0xC0 == 0x80 { continue }
      characters += 1
      if characters > reach { return false }
      if byte < 0x80, sentenceEnds.contains(byte) { return false }
      if byte == 0xE3, index + 2 < end, bytes[index + 1] == 0x80, bytes[index + 2] == 0x82 { return false }  // 。
    }
    return true
  }

  /// Where the feed's 划线价 finding points: the page's struck-through price if there is one, else the feed record.
  static func location(_ context: ListingContext) -> SourceLocation {
    if let block = context.blocks.first(where: { $0.scope == .originalPrice }) { return block.startLocation }
    var location = context.recordLocation
    location.scope = .feedRecord
    return location
  }
}
