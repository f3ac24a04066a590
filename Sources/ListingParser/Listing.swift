/// One product listing as the catalogue feed describes it.
///
/// Field names follow the feed schema (README, "Feed format"). Everything but `id` and `title` is optional: a
/// missing field is information for the rules (a food listing with no `sc_code` must show one on its page), not an
/// input error. Prices are in yuan.
public struct Listing: Sendable {
  public struct Seller: Sendable, Equatable {
    public var name: String?
    public var licenseNo: String?
    public init(name: String? = nil, licenseNo: String? = nil) {
      self.name = name
      self.licenseNo = licenseNo
    }
  }

  /// A 拼团 price for groups of at least `minPeople`.
  public struct GroupTier: Sendable, Equatable {
    public var minPeople: Int
    public var price: Double
    public init(minPeople: Int, price: Double) {
      self.minPeople = minPeople
      self.price = price
    }
  }

  /// A per-listing waiver from the feed's `audit_ignore`: the rule it silences and why.
  public struct Suppression: Sendable, Equatable {
    public var rule: String
    public var reason: String?
    public init(rule: String, reason: String?) {
      self.rule = rule
      self.reason = reason
    }
  }

  public var id: String
  public var title: String
  /// Category levels joined by `/`, e.g. `食品/休闲零食`.
  public var category: String?
  public var price: Double?
  /// The 划线价 shown struck through next to the price.
  public var originalPrice: Double?
  /// The lowest transaction price in the 7 days before, which a 划线价 with no stated basis must not exceed.
  public var lowestPrice7d: Double?
  public var seller: Seller
  /// Path of the detail page, relative to the folder of the feed file.
  public var detailPage: String?
  /// Text or HTML carried in the feed itself.
  public var description: String?
  public var groupTiers: [GroupTier]
  public var scCode: String?
  public var healthFoodApproval: String?
  public var crossBorder: Bool?
  public var returnPolicy: String?
  public var auditIgnore: [Suppression]

  /// The feed file and the line where the record starts.
  public var source: SourceLocation
  /// Hash of the record's bytes as they appear in the feed; with the page's hash it decides whether a listing
  /// changed since the last run.
  public var recordHash: String
  /// Where each text field's value sits in the feed file, keyed by schema path (`title`, `seller.name`), as anchors
  /// into the field's value; filled in by the feed readers and read by `feedBlocks()`.
  public var fieldAnchors: [String: [TextBlock.Anchor]] = [:]
  /// The JSON record's bytes as the feed holds them, so the listing can be read again, positions and hash included,
  /// where the feed is not (`auditor queue add` stores them for workers); nil for CSV rows.
  public var rawRecord: RawRecord?

  public init(
    id: String, title: String, category: String? = nil, price: Double? = nil, originalPrice: Double? = nil,
    lowestPrice7d: Double? = nil, seller: Seller = Seller(), detailPage: String? = nil, description: String? = nil,
    groupTiers: [GroupTier] = [], scCode: String? = nil, healthFoodApproval: String? = nil, crossBorder: Bool? = nil,
    returnPolicy: String? = nil, auditIgnore: [Suppression] = [],
    source: SourceLocation = SourceLocation(file: "", line: 0, column: 0, scope: .feedRecord), recordHash: String = ""
  ) {
    self.id = id
    self.title = title
    self.category = category
    self.price = price
    self.originalPrice = originalPrice
    self.lowestPrice7d = lowestPrice7d
    self.seller = seller
    self.detailPage = detailPage
    self.description = description
    self.groupTiers = groupTiers
    self.scCode = scCode
    self.healthFoodApproval = healthFoodApproval
    self.crossBorder = crossBorder
    self.returnPolicy = returnPolicy
    self.auditIgnore = auditIgnore
    self.source = source
    self.recordHash = recordHash
  }

  /// Category levels, outermost first.
  public var categoryLevels: [Substring] { (category ?? "").split(separator: "/").map { $0 } }
}
