/// What the report leaves out of what the checker found: the findings reviewers took out (accepted, false positive,
/// a live waiver) and those the baseline records. Built once before a run from the store's statuses and the baseline
/// file, then applied to each batch after checking: the run never asks the store mid-run. The store keeps every
/// finding; only the report is filtered.
public struct ReportPolicy: Sendable {
  /// Fingerprint → the status under which a reviewer hid it.
  public var hidden: [String: FindingStatus]
  public var baseline: Baseline?
  /// The baseline's fingerprints, taken once.
  private let known: Set<String>

  public init(hidden: [String: FindingStatus] = [:], baseline: Baseline? = nil) {
    self.hidden = hidden
    self.baseline = baseline
    known = baseline?.fingerprints ?? []
  }

  /// A listing's findings split into what the report shows and how many reviews and the baseline hid (a finding
  /// both reviewed and in the baseline counts as reviewed).
  public func apply(_ findings: [Finding]) -> (shown: [Finding], reviewed: Int, baselined: Int) {
    let reviewed = findings.filter { hidden[$0.fingerprint] == nil }
    let shown = known.isEmpty ? reviewed : reviewed.filter { !known.contains($0.fingerprint) }
    return (shown, findings.count - reviewed.count, reviewed.count - shown.count)
  }

  /// Baseline entries whose fingerprint is not in `seen` (every fingerprint a run found, shown or not), as
  /// `listing rule: evidence`: fixed, so the baseline can shrink.
  public func staleBaselineEntries(seen: Set<String>) -> [String] {
    (baseline?.staleEntries(seen: seen) ?? []).map { "\($0.listingID) \($0.ruleID): \($0.evidence)" }
  }

  /// Whether the run must collect the fingerprints it finds, for `staleBaselineEntries`.
  var needsSeenFingerprints: Bool { !known.isEmpty }
}

/// What receives a run's listings as their batch finishes, in feed order: a streamed report, a progress line. The
/// run only hands results on; nothing flows back into it.
public protocol RunObserver {
  /// One listing, with the findings the report shows (after suppressions, reviews and the baseline).
  mutating func listingFinished(_ result: ListingResult) throws
}

/// An observer that takes no notice: for runs whose report is written from the summary at the end.
public struct IgnoringObserver: RunObserver {
  public init() {}
  public func listingFinished(_ result: ListingResult) {}
}
