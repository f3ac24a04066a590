import ListingParser

/// Wording that states what a 划线价 is (规定 art 16: a compared price whose details are stated need not be the
/// 7-day low): a reference price, a manufacturer's suggestion, a tag price, or the 7-day low itself.
///
/// `仅供参考` counts only when its sentence speaks of a price (`划线价…仅供参考`): `图片仅供参考，请以实物为准`, on
/// nearly every page, says nothing about the 划线价.
enum ReferenceBasis: Int, TermLists {
  /// Words that state the basis wherever they stand.
  case stated
  /// Words that state it only when said of a price.
  case statedOfPrice

  var words: [String] {
    switch self {
    case .stated: Self.terms
    case .statedOfPrice: Self.qualifiedTerms
    }
  }

  static let terms = [
    "并非原价", "非原价", "不是原价", "参考价", "建议零售价", "指导价", "吊牌价", "专柜价", "前7日最低", "前七日最低",
    "7日最低", "7天最低", "七日最低", "七天最低", "近7天最低", "近7日最低", "划线价格说明", "划线价说明",
  ]
  /// Words that state a basis only when a price is named before them in the same sentence.
  static let qualifiedTerms = ["仅供参考", "仅供您参考", "仅作参考", "仅做参考"]
  private static let qualified = try! ICURegex(
    #"(划线价|原价|吊牌价|参考价|指导价|专柜价|零售价|市场价|价格|标价)[^。;!?\n]{0,30}仅(供|作|做)(您)?参考"#,
    caseInsensitive: false)

  /// Whether the listing states what its 划线价 is: a basis word, or `仅供参考` said of a price.
  static func isStated(_ context: ListingContext, terms: RegisteredTerms<ReferenceBasis>) -> Bool {
    if !context.hits(terms[.stated]).isEmpty { return true }
    return context.blocks(withHitsOf: terms[.statedOfPrice]).contains {
      qualified.firstMatch(in: context.normalized[$0].bytes) != nil
    }
  }

  /// Where the feed's 划线价 finding points: the page's struck-through price if there is one, else the feed record.
  static func location(_ context: ListingContext) -> SourceLocation {
    if let block = context.blocks.first(where: { $0.scope == .originalPrice }) { return block.startLocation }
    var location = context.recordLocation
    location.scope = .feedRecord
    return location
  }
}
