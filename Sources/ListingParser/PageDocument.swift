/// What a detail page (or HTML in a feed description) says, as text blocks with source locations.
public struct PageDocument: Sendable {
  /// A schema.org Product/Offer read from `<script type="application/ld+json">`.
  public struct Offer: Sendable, Equatable {
    public var name: String?
    public var price: Double?
    public var currency: String?
    public var location: SourceLocation
    public init(name: String?, price: Double?, currency: String?, location: SourceLocation) {
      self.name = name
      self.price = price
      self.currency = currency
      self.location = location
    }
  }

  /// An HTML comment: suppressions (`auditor-ignore`) and test annotations (`ruleid:`) live in these.
  public struct Comment: Sendable, Equatable {
    public var text: String
    public var location: SourceLocation
    /// The last line of the element that follows the comment, which is what the comment speaks about.
    public var coversThroughLine: Int
    public init(text: String, location: SourceLocation, coversThroughLine: Int) {
      self.text = text
      self.location = location
      self.coversThroughLine = coversThroughLine
    }
  }

  public var file: String
  /// The encoding the bytes were read as: "UTF-8" or "GB18030". Never taken from `<meta charset>`.
  public var encoding: String
  public var blocks: [TextBlock]
  public var offers: [Offer]
  public var comments: [Comment]
  /// The `<title>` text, whitespace collapsed, if the page has one.
  public var title: String?
  public var byteCount: Int
  /// Hash of the page's bytes.
  public var contentHash: String
  /// Problems with the page that still left readable text, such as bytes that were not valid in `encoding`.
  public var issues: [InputIssue] = []

  public init(
    file: String, encoding: String, blocks: [TextBlock], offers: [Offer] = [], comments: [Comment] = [],
    title: String? = nil, byteCount: Int = 0, contentHash: String = ""
  ) {
    self.file = file
    self.encoding = encoding
    self.blocks = blocks
    self.offers = offers
    self.comments = comments
    self.title = title
    self.byteCount = byteCount
    self.contentHash = contentHash
  }
}
