import Foundation

/// Streams a listing feed record by record: memory does not grow with the number of records (apart from the set of
/// ids seen, needed to report duplicates).
///
/// Whole-file problems throw `FeedError` from `init`; everything else (a malformed record, a missing field, a
/// duplicate id, a ragged row) is yielded as an `.issue` and reading goes on.
public final class FeedReader: Sequence, IteratorProtocol {
  public let format: FeedFormat
  /// The path used in issues and source locations.
  public let displayPath: String
  private let source: any FeedRecordSource
  private var queued: [FeedEvent] = []
  /// Line of the first record with each id, to name it when a later record reuses the id.
  private var firstLineByID: [String: Int] = [:]

  public init(path: String, displayPath: String? = nil) throws {
    let file = displayPath ?? path
    self.displayPath = file
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw FeedError.missingFile(path: file)
    }
    guard !isDirectory.boolValue else { throw FeedError.notAFeed(path: file, reason: "it is a directory") }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw FeedError.unreadable(path: file, reason: "permission denied or not a regular file")
    }
    let head: [UInt8]
    do {
      head = Array(try handle.read(upToCount: ByteLineReader.chunkSize) ?? Data())
      try handle.seek(toOffset: 0)
    } catch {
      throw FeedError.unreadable(path: file, reason: String(describing: error))
    }
    guard FeedFormat.firstSignificantByte(head) != nil else {
      throw FeedError.notAFeed(path: file, reason: "the file is empty")
    }
    guard !head.contains(0) else {
      throw FeedError.notAFeed(
        path: file, reason: "it holds NUL bytes (a binary file, or UTF-16 text; save it as UTF-8)")
    }
    guard let format = FeedFormat.detect(path: path, firstBytes: head) else {
      if path.lowercased().hasSuffix(".json") {
        throw FeedError.notAFeed(path: file, reason: "a JSON feed must start with `[` (an array) or `{` (NDJSON)")
      }
      throw FeedError.unknownFormat(path: file)
    }
    self.format = format
    switch format {
    case .ndjson: source = try NDJSONFeed(lines: ByteLineReader(handle: handle), file: file)
    case .jsonArray: source = JSONArrayFeed(handle: handle, file: file)
    case .csv:
      try? handle.close()
      source = try CSVFeed(path: path, file: file)
    }
  }

  public func next() -> FeedEvent? {
    while queued.isEmpty {
      guard let events = source.nextRecord() else { return nil }
      queued = events.map(checkDuplicate).reversed()
    }
    return queued.popLast()
  }

  /// Keeps the first listing with an id; a later one becomes a `duplicate_id` issue naming the first line.
  private func checkDuplicate(_ event: FeedEvent) -> FeedEvent {
    guard case .listing(let listing) = event else { return event }
    if let firstLine = firstLineByID[listing.id] {
      return .issue(
        InputIssue(
          kind: .duplicateID, file: displayPath, line: listing.source.line, listingID: listing.id,
          message: "record reuses id \"\(listing.id)\" first used on line \(firstLine); ids must be unique — "
            + "record skipped, the first one is kept"))
    }
    firstLineByID[listing.id] = listing.source.line
    return event
  }
}
