import ListingParser

/// What `record` has accepted and not yet written. Whole listings only: a listing's row, findings and issues go
/// into the same transaction, so a batch boundary never splits a listing.
struct PendingBatch: Sendable {
  struct CheckedListing: Sendable {
    var runID: Int64
    var listingID: String
    var contentHash: String
    var source: String
    var detailPage: String?
    var findings: [Finding]
    var issues: [InputIssue]
  }

  struct UnchangedListing: Sendable {
    var runID: Int64
    var listingID: String
    var source: String
    var detailPage: String?
  }

  var checked: [CheckedListing] = []
  var unchanged: [UnchangedListing] = []
  /// Issues not tied to a checked listing, with their run.
  var looseIssues: [(runID: Int64, issue: InputIssue)] = []
  /// Listing rows plus finding and issue rows, to decide when to write.
  private(set) var rowCount = 0
  private(set) var listingCount = 0

  var isEmpty: Bool { rowCount == 0 }

  mutating func append(_ listing: CheckedListing) {
    checked.append(listing)
    listingCount += 1
    rowCount += 1 + listing.findings.count + listing.issues.count
  }

  mutating func append(_ listing: UnchangedListing) {
    unchanged.append(listing)
    listingCount += 1
    rowCount += 1
  }

  mutating func append(runID: Int64, issues: [InputIssue]) {
    looseIssues.append(contentsOf: issues.lazy.map { (runID, $0) })
    rowCount += issues.count
  }

  func isFull(_ limits: FindingsStore.BatchLimits) -> Bool {
    listingCount >= limits.listings || rowCount >= limits.rows
  }
}
