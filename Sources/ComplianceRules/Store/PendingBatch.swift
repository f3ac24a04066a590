import ListingParser

/// What `record` has accepted and not yet written, in call order. Whole listings only: a listing's row, findings
/// and issues go into the same transaction, so a batch boundary never splits a listing.
struct PendingBatch: Sendable {
  enum Entry: Sendable {
    case checked(CheckedListing)
    /// Issues not tied to a checked listing.
    case issues(runID: Int64, [InputIssue])
  }

  struct CheckedListing: Sendable {
    var runID: Int64
    var listingID: String
    var contentHash: String
    var source: String
    var detailPage: String?
    var findings: [Finding]
    var issues: [InputIssue]
  }

  private(set) var entries: [Entry] = []
  /// Listing rows plus finding and issue rows, to decide when to write.
  private(set) var rowCount = 0
  private(set) var listingCount = 0

  var isEmpty: Bool { entries.isEmpty }

  mutating func append(_ entry: Entry) {
    entries.append(entry)
    switch entry {
    case .checked(let listing):
      listingCount += 1
      rowCount += 1 + listing.findings.count + listing.issues.count
    case .issues(_, let issues):
      rowCount += issues.count
    }
  }

  func isFull(_ limits: FindingsStore.BatchLimits) -> Bool {
    listingCount >= limits.listings || rowCount >= limits.rows
  }
}
