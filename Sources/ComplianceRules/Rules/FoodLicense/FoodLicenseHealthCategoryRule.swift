import ListingParser

/// The SC number's food category disagrees with the listing: `SC127…` is the 保健食品 category.
///
/// An SC licence covers the categories it was issued for; a snack sold under a health-food licence, or a 蓝帽子
/// product under an ordinary food licence, is worth a reviewer's look. The category table is from secondary sources,
/// hence only a hint.
struct FoodLicenseHealthCategoryRule: CodedRule {
  static let description = RuleDescription(
    id: "food_license_health_category", area: .foodLicense, severity: .info, title: "SC Category Does Not Fit Listing",
    message: "食品生产许可证编号{evidence}的类别{detail}与商品类目不符（SC127为保健食品类别）。请核对许可证是否覆盖该商品。",
    citation: Citation(law: "食品生产许可管理办法", article: "第十条（食品类别编号）", grade: .secondary),
    failingExamples: [
      Example("<p>食品生产许可证编号：SC12733010600017</p>", feed: #"{"category":"食品/休闲零食"}"#),
      Example("<p>生产许可证：SC10133010600019</p>", feed: #"{"category":"保健食品/营养补充"}"#),
    ],
    passingExamples: [
      Example("<p>食品生产许可证编号：SC12733010600017</p>", feed: #"{"category":"保健食品/营养补充"}"#),
      Example("<p>食品生产许可证编号：SC12733010600017</p>", feed: #"{"category":"医药保健/营养健康/鱼油"}"#),
      Example("<p>食品生产许可证编号：SC10133010600019</p>", feed: #"{"category":"食品/粮油"}"#),
    ],
    source: #filePath)

  enum Terms: Int, TermLists {
    /// Every SC number starts so: only blocks with it are read.
    case triggers
    var words: [String] { ["sc"] }
  }
  let terms: RegisteredTerms<Terms>
  private static let sc = try! ICURegex(#"(?<![a-z0-9])sc\s?([12]\d{2})\d{11}(?!\d)"#, caseInsensitive: false)

  /// Taobao and Tmall file health food under 保健食品; JD under 医药保健/营养健康 (or 营养成分).
  private static let healthFood = CategoryFilter(include: ["保健食品", "营养健康", "营养成分", "膳食营养"])

  func check(_ context: ListingContext, into sink: inout FindingSink) {
    let category = context.listing.category ?? ""
    guard !category.isEmpty else { return }
    let isHealthFood = Self.healthFood.mentions(category)
    func misfits(_ code: String) -> Bool { (code == "127") != isHealthFood }
    if let field = context.listing.scCode {
      let text = NormalizedText(field)
      if let code = Self.categoryCode(in: text), misfits(code) {
        sink.report(description, evidence: field, at: context.recordLocation, detail: code)
        return
      }
    }
    for block in context.blocks(withHitsOf: terms[.triggers]) {
      let text = context.normalized[block]
      for groups in Self.sc.matches(in: text.bytes) {
        guard let range = groups[0], let code = groups[1].map(text.string), misfits(code) else { continue }
        let original = context.original(block: block, start: range.lowerBound, end: range.upperBound)
        sink.report(description, evidence: original.text, at: original.location, detail: code)
        return
      }
    }
  }

  /// The three-digit category after `SC` in normalised text.
  static func categoryCode(in text: NormalizedText) -> String? {
    Self.sc.firstMatch(in: text.bytes)?[1].map(text.string)
  }
}
