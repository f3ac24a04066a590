/// The size limit on one feed record (an NDJSON line, a JSON array element, a CSV row), and the issue for a record
/// above it. Readers skip such a record as it streams by rather than hold it, so a feed with one runaway record (a
/// page's HTML pasted into a cell, a missing closing quote) costs no more memory than the limit.
public enum FeedRecordLimit {
  /// The default of `--max-record-bytes`, 1 MiB: real records, descriptions included, are a few KB.
  public static let defaultBytes = 1024 * 1024

  static func issue(file: String, line: Int, size: Int, limit: Int, exact: Bool = true) -> InputIssue {
    let shown = exact ? "is \(size) bytes" : "is more than \(limit) bytes"
    return InputIssue(
      kind: .tooLarge, file: file, line: line,
      message: "record \(shown), above the limit of \(limit) (--max-record-bytes) — record skipped")
  }
}
