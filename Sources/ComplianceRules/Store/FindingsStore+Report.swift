import Foundation
import GRDB
import ListingParser

extension FindingsStore {
  /// A stored run as `auditor report` renders it: its findings and input issues in the order the run reported them
  /// (insertion order), less what a reviewer has since taken out; the newest complete run when `runID` is nil.
  public func storedSummary(runID requested: Int64?) throws -> AuditSummary? {
    try flush()
    guard let runID = try requested ?? lastCompleteRunID(),
      let run = try writer.read({ db in try RunRecord.fetchOne(db, key: runID) })
    else { return nil }
    let (findings, issues, checked) = try writer.read { db in
      (
        try FindingRecord.filter(FindingRecord.Columns.runID == runID).order(FindingRecord.Columns.id).fetchAll(db)
          .map(\.finding),
        try InputIssueRecord.filter(InputIssueRecord.Columns.runID == runID).order(InputIssueRecord.Columns.id)
          .fetchAll(db).map(\.issue),
        // The listings the run checked, in the order they were first stored.
        try String.fetchAll(
          db, sql: "SELECT listing_id FROM listing WHERE last_checked_run = ? ORDER BY rowid", arguments: [runID])
      )
    }
    let hidden = try hiddenStatuses(today: AuditRun.today())
    let shown = findings.filter { hidden[$0.fingerprint] == nil }
    var summary = AuditSummary(
      runID: runID, feeds: run.feeds, startedAt: run.startedAt, finishedAt: run.finishedAt ?? run.startedAt,
      listingsChecked: run.listingsChecked, listingsSkipped: run.listingsSkipped, findings: shown, issues: issues,
      checkedListings: checked, toolVersion: run.toolVersion)
    summary.reviewed = findings.count - shown.count
    return summary
  }
}
