/// A listing with its detail page in memory: everything the checker reads, so checking never touches the file
/// system. The CLI builds one with `reading(_:maxPageBytes:)`, which finds the page file beside the feed; a server
/// or a queue worker that already holds the page hands its bytes to `init(listing:page:)`.
public struct ListingInput: Sendable {
  /// A detail page's bytes and the path that findings and issues on it name.
  public struct Page: Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// `ContentHash` of `bytes`.
    public let hash: String

    public init(path: String, bytes: [UInt8]) {
      self.path = path
      self.bytes = bytes
      self.hash = ContentHash.hex(bytes)
    }
  }

  public var listing: Listing
  /// Nil when the listing names no page, or its page could not be read (then `pageIssue` says why).
  public var page: Page?
  /// Why the page the listing names could not be read: missing, outside the feed's folder, too large…
  public var pageIssue: InputIssue?

  public init(listing: Listing, page: Page?, pageIssue: InputIssue? = nil) {
    self.listing = listing
    self.page = page
    self.pageIssue = pageIssue
  }

  /// Hash of the feed record and the page bytes: an incremental run skips the listing when it is unchanged.
  public var contentHash: String { ContentHash.hex(parts: [listing.recordHash, page?.hash ?? ""]) }

  /// Locates the listing's `detail_page` relative to its feed, confined to the feed's folder, and reads it unless
  /// it is above `maxPageBytes`; a page that cannot be read becomes `pageIssue`.
  public static func reading(_ listing: Listing, maxPageBytes: Int = HTMLReader.defaultMaxPageBytes) -> ListingInput {
    guard let detailPage = listing.detailPage else { return ListingInput(listing: listing, page: nil) }
    let feedPath = listing.source.file
    let loaded = PageLocator.resolve(detailPage, feedPath: feedPath, listingID: listing.id, line: listing.source.line)
      .flatMap { path in
        HTMLReader().load(
          path: path, displayPath: path, listingID: listing.id, confinedTo: PageLocator.folder(of: feedPath),
          maxBytes: maxPageBytes
        ).map { Page(path: path, bytes: $0) }
      }
    switch loaded {
    case .success(let page): return ListingInput(listing: listing, page: page)
    case .failure(let issue): return ListingInput(listing: listing, page: nil, pageIssue: issue)
    }
  }
}
