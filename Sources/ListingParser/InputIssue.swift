/// A problem with the input that is not a compliance finding: a file that cannot be read, a malformed record, a
/// page that escapes the feed's folder. Issues are reported and stored; the rest of the run goes on.
public struct InputIssue: Hashable, Sendable, Codable, Error {
  public enum Kind: String, Sendable, Codable, CaseIterable {
    case missingFile = "missing_file"
    case unreadableFile = "unreadable_file"
    case binaryFile = "binary_file"
    /// A page or feed record above the run's size limit, skipped without being read whole.
    case tooLarge = "too_large"
    case malformedRecord = "malformed_record"
    case missingField = "missing_field"
    case wrongFieldType = "wrong_field_type"
    /// A number of the right type that no listing can have: not finite, a negative price, an absurd amount.
    case outOfRange = "out_of_range"
    case duplicateID = "duplicate_id"
    case raggedRow = "ragged_row"
    case unsafePath = "unsafe_path"
    case remotePage = "remote_page"
    case encoding = "encoding"
    case suppression = "suppression"
    /// A rule's pattern hit the matching limit on the listing; that rule's findings for it are dropped.
    case ruleTimeout = "rule_timeout"
    /// A queued listing whose checking failed on every attempt (a worker died on it, or it kept erroring): it is
    /// given up, so it never blocks the queue.
    case jobFailed = "job_failed"
  }

  public var kind: Kind
  public var file: String
  /// 1-based line in `file`, 0 when the problem is with the file as a whole.
  public var line: Int
  public var listingID: String?
  public var message: String

  public init(kind: Kind, file: String, line: Int, listingID: String? = nil, message: String) {
    self.kind = kind
    self.file = file
    self.line = line
    self.listingID = listingID
    self.message = message
  }
}
