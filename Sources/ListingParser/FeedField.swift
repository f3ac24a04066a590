/// The feed schema, once: every field a record may carry, its type, how a CSV header spells it and what it means.
/// The NDJSON, JSON-array and CSV readers take field names from here, and a test holds the README's "Feed format"
/// table equal to `table`.
public struct FeedField: Sendable, Hashable {
  /// The key in a JSON record.
  public let name: String
  /// The JSON type, as the README writes it.
  public let type: String
  /// The CSV column(s) and the cell spelling when it is not the JSON one.
  public let csv: String
  public let meaning: String

  public static let id = FeedField(
    name: "id", type: "string or number", csv: "`id`", meaning: "unique listing id")
  public static let title = FeedField(
    name: "title", type: "string", csv: "`title`", meaning: "the card / list title")
  public static let category = FeedField(
    name: "category", type: "string", csv: "`category`",
    meaning: "levels joined by `/`: `食品/休闲零食`, `保健食品/营养补充`, `跨境/美妆`, `生鲜/水果`, `定制/礼品`")
  public static let price = FeedField(
    name: "price", type: "number", csv: "`price`",
    meaning: "the selling price on the card (yuan); see numeric fields below")
  public static let originalPrice = FeedField(
    name: "original_price", type: "number", csv: "`original_price`", meaning: "the 划线价 shown struck through")
  public static let lowestPrice7d = FeedField(
    name: "lowest_price_7d", type: "number", csv: "`lowest_price_7d`",
    meaning: "the lowest transaction price of the 7 days before")
  public static let seller = FeedField(
    name: "seller", type: "`{name, license_no}`", csv: "`seller.name`, `seller.license_no`",
    meaning: "the seller and its 统一社会信用代码")
  public static let detailPage = FeedField(
    name: "detail_page", type: "string", csv: "`detail_page`",
    meaning: "the detail page, relative to the feed file's folder (never fetched from the network)")
  public static let description = FeedField(
    name: "description", type: "string", csv: "`description`", meaning: "text or HTML carried in the feed")
  public static let groupTiers = FeedField(
    name: "group_tiers", type: "`[{min_people, price}]`", csv: "`group_tiers`: `3:19.9;10:16.9`",
    meaning: "拼团 tiers")
  public static let scCode = FeedField(
    name: "sc_code", type: "string", csv: "`sc_code`", meaning: "食品生产许可证 / 食品经营许可证 number")
  public static let healthFoodApproval = FeedField(
    name: "health_food_approval", type: "string", csv: "`health_food_approval`",
    meaning: "国食健注 / 食健备 … number")
  public static let crossBorder = FeedField(
    name: "cross_border", type: "bool", csv: "`cross_border`: `true`/`false`, `1`/`0`, `是`/`否`",
    meaning: "a 跨境电商零售进口 listing")
  public static let returnPolicy = FeedField(
    name: "return_policy", type: "string", csv: "`return_policy`", meaning: "the return policy shown on the card")
  public static let auditIgnore = FeedField(
    name: "audit_ignore", type: "`[{rule, reason}]`", csv: "`audit_ignore`: `rule:reason;rule2:reason`",
    meaning: "per-listing waivers (a reason is required)")

  /// Every field, in the order the README lists them.
  public static let all: [FeedField] = [
    id, title, category, price, originalPrice, lowestPrice7d, seller, detailPage, description, groupTiers, scCode,
    healthFoodApproval, crossBorder, returnPolicy, auditIgnore,
  ]

  /// The keys of `seller` and their CSV columns.
  static let sellerName = "name"
  static let sellerLicenseNo = "license_no"
  static let sellerNameColumn = "\(seller.name).\(sellerName)"
  static let sellerLicenseNoColumn = "\(seller.name).\(sellerLicenseNo)"

  /// The README's "Feed format" table, as Markdown.
  public static var table: String {
    let rows = all.map { "| `\($0.name)` | \($0.type) | \($0.csv) | \($0.meaning) |" }
    return (["| field | type | CSV column | meaning |", "|---|---|---|---|"] + rows).joined(separator: "\n")
  }
}
