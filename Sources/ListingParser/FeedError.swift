/// A problem with the feed file as a whole. The CLI stops with exit code 2 before any auditing; problems with single
/// records are `InputIssue`s instead and never throw.
package enum FeedError: Error, CustomStringConvertible, Equatable {
  case missingFile(path: String)
  case unreadable(path: String, reason: String)
  case unknownFormat(path: String)
  case notAFeed(path: String, reason: String)

  public var path: String {
    switch self {
    case .missingFile(let path), .unreadable(let path, _), .unknownFormat(let path), .notAFeed(let path, _): path
    }
  }

  public var description: String {
    switch self {
    case .missingFile(let path):
      "\(path): no such file"
    case .unreadable(let path, let reason):
      "\(path): cannot be read (\(reason))"
    case .unknownFormat(let path):
      "\(path): unknown feed format; use .ndjson/.jsonl (one JSON object per line), .json (a JSON array of objects, "
        + "or one object per line) or .csv (with a header row)"
    case .notAFeed(let path, let reason):
      "\(path): not a listing feed: \(reason)"
    }
  }
}
