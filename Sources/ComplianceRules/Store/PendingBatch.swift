import ListingParser

/// What `record` has accepted and not yet written, in call order. Whole listings only: a listing's row, findings
/// and issues go into the same transaction, so a batch boundary never splits a listing.
package struct PendingBatch: Sendable {
  package enum Entry: Sendable {
    case checked(CheckedListing)
    /// Issues not tied to a checked listing.
    case issues(runID: Int64, [InputIssue])
  }

  package struct CheckedListing: Sendable {
    package var runID: Int64
    package var listingID: String
    package var contentHash: String
    package var source: String
    package var detailPage: String?
    package var findings: [Finding]
    package var issues: [InputIssue]

    package init(
      runID: Int64, listingID: String, contentHash: String, source: String, detailPage: String?,
      findings: [Finding], issues: [InputIssue]
    ) {
      self.runID = runID
      self.listingID = listingID
      self.contentHash = contentHash
      self.source = source
      self.detailPage = detailPage
      self.findings = findings
      self.issues = issues
    }
  }

  package private(set) var entries: [Entry] = []
  /// Listing rows plus finding and issue rows, to decide when to write.
  private(set) var rowCount = 0
  private(set) var listingCount = 0

  package init() {}

  package var isEmpty: Bool { entries.isEmpty }

  package mutating func append(_ entry: Entry) {
    entries.append(entry)
    switch entry {
    case .checked(let listing):
      listingCount += 1
      rowCount += 1 + listing.findings.count + listing.issues.count
    case .issues(_, let issues):
      rowCount += issues.count
    }
  }

  package func isFull(_ limits: FindingsStore.BatchLimits) -> Bool {
    listingCount >= limits.listings || rowCount >= limits.rows
  }
}
