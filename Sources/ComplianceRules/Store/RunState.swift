import GRDB

/// Where a run stands. Only complete runs count as "the last run" for `diff`, `findings`, the review lifecycle and
/// incremental checks: a running or incomplete run has stored only part of its findings.
public enum RunState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
  /// Its process is still checking (it holds the run's `RunLock`).
  case running
  /// Finished and recorded its totals.
  case complete
  /// Its process died before finishing (killed, crashed): what it stored is partial.
  case incomplete
}
