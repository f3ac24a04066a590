/// One JSON feed record as stored away from its feed: its bytes, exactly as read, and the column its first byte was
/// on (the line and file are the listing's `source`).
public struct RawRecord: Sendable, Hashable {
  public var bytes: [UInt8]
  public var column: Int

  public init(bytes: [UInt8], column: Int) {
    self.bytes = bytes
    self.column = column
  }
}

extension ListingRecordDecoder {
  /// Reads a stored JSON record again as the feed reader read it at `file`:`line`:`column`: the same listing (hash
  /// and field positions included) and the same issues, so a check of it equals a check of the feed.
  public static func events(stored record: RawRecord, file: String, line: Int) -> [FeedEvent] {
    JSONRecord.events(raw: record.bytes, file: file, line: line, column: record.column)
  }
}
