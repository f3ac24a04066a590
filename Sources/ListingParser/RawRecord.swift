/// One feed record as stored away from its feed (`auditor queue add`): enough bytes to read it again exactly as the
/// feed reader read it, and the column its first byte was on (the line and file are the listing's `source`).
public struct RawRecord: Sendable, Hashable {
  /// How `bytes` are read back.
  public enum Format: String, Sendable, Hashable {
    /// A JSON record's bytes, exactly as in the feed.
    case json
    /// A CSV row: the feed's header cells, then the row's physical lines as UTF-8 (see `CSVFeed.storedRow`).
    case csvRow = "csv_row"
  }

  public var bytes: [UInt8]
  public var column: Int
  public var format: Format

  public init(bytes: [UInt8], column: Int, format: Format = .json) {
    self.bytes = bytes
    self.column = column
    self.format = format
  }
}

extension ListingRecordDecoder {
  /// Reads a stored record again as the feed reader read it at `file`:`line`:`column`: the same listing (hash and
  /// field positions included) and the same issues, so a check of it equals a check of the feed.
  public static func events(stored record: RawRecord, file: String, line: Int) -> [FeedEvent] {
    switch record.format {
    case .json: JSONRecord.events(raw: record.bytes, file: file, line: line, column: record.column)
    case .csvRow: CSVFeed.events(storedRow: record.bytes, file: file, line: line)
    }
  }
}
