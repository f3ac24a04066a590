import Foundation

/// Streams a listing feed record by record: memory does not grow with the number of records (apart from the set of
/// ids seen, needed to report duplicates, shared by the feeds of a run).
///
/// Whole-file problems throw `FeedError` from `init`; everything else (a malformed record, a missing field, a
/// duplicate id, a ragged row) is yielded as an `.issue` and reading goes on.
public final class FeedReader: Sequence, IteratorProtocol {
  public let format: FeedFormat
  /// The path used in issues and source locations.
  public let displayPath: String
  private let source: any FeedRecordSource
  private var queued: [FeedEvent] = []
  /// Where each id was first read, in this feed or an earlier one of the run.
  private let ids: ListingIDRegister
  /// Listings read so far, duplicates included: none at the end means nothing of the feed could be read.
  public private(set) var listingsRead = 0
  /// Input issues yielded so far.
  public private(set) var issuesReported = 0

  /// `ids` is shared by the readers of one run so that an id reused across feeds is a duplicate too. A record above
  /// `maxRecordBytes` is a `too_large` issue, skipped without being held whole.
  public init(
    path: String, displayPath: String? = nil, ids: ListingIDRegister = ListingIDRegister(),
    maxRecordBytes: Int = FeedRecordLimit.defaultBytes
  ) throws {
    let file = displayPath ?? path
    self.displayPath = file
    self.ids = ids
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
    case .ndjson:
      source = try NDJSONFeed(
        lines: ByteLineReader(handle: handle, maxLineBytes: maxRecordBytes), file: file, maxRecordBytes: maxRecordBytes)
    case .jsonArray: source = JSONArrayFeed(handle: handle, file: file, maxRecordBytes: maxRecordBytes)
    case .csv:
      source = try CSVFeed(
        lines: ByteLineReader(handle: handle, splitOnLoneCR: true, maxLineBytes: maxRecordBytes), file: file,
        maxRecordBytes: maxRecordBytes)
    }
  }

  public func next() -> FeedEvent? {
    while queued.isEmpty {
      guard let events = source.nextRecord() else { return nil }
      queued = events.map(checkDuplicate).reversed()
    }
    let event = queued.popLast()
    if case .issue? = event { issuesReported += 1 }
    return event
  }

  /// Why nothing of the feed could be read, asked once it has been read to the end; nil when a listing was read.
  /// Such a feed is a broken import (every record malformed, a header and no rows), and the CLI exits 2 for it.
  public var nothingReadReason: String? {
    guard listingsRead == 0 else { return nil }
    guard issuesReported > 0 else { return "\(displayPath): no listing could be read: the feed holds no records" }
    return "\(displayPath): no listing could be read: every record is an input issue (\(issuesReported) reported)"
  }

  /// Keeps the first listing with an id; a later one, here or in a later feed of the run, becomes a `duplicate_id`
  /// issue naming where the id was first used.
  private func checkDuplicate(_ event: FeedEvent) -> FeedEvent {
    guard case .listing(let listing) = event else { return event }
    listingsRead += 1
    guard let first = ids.claim(listing.id, file: displayPath, line: listing.source.line) else { return event }
    let place = first.file == displayPath ? "line \(first.line)" : "\(first.file) line \(first.line)"
    return .issue(
      InputIssue(
        kind: .duplicateID, file: displayPath, line: listing.source.line, listingID: listing.id,
        message: "record reuses id \"\(listing.id)\" first used on \(place); ids must be unique across the feeds "
          + "of a run — record skipped, the first one is kept"))
  }
}
