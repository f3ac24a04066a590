import Foundation

/// Reads one JSON object per line. Blank lines are skipped; a line that is not a JSON object is reported and the
/// next line is read, and so is a line above the record size limit, which is skipped without being held.
final class NDJSONFeed: FeedRecordSource {
  private let lines: ByteLineReader
  private let file: String
  private let maxRecordBytes: Int
  private var pending: ByteLineReader.Line?
  private var finished = false

  /// Throws when the first record is a lone `{`: that is one pretty-printed JSON document (an API response, say),
  /// not a feed, and reading it line by line would only produce an issue per line.
  init(lines: ByteLineReader, file: String, maxRecordBytes: Int) throws {
    self.lines = lines
    self.file = file
    self.maxRecordBytes = maxRecordBytes
    pending = nextNonBlankLine()
    if let first = pending, Self.trimmed(first.content).elementsEqual([UInt8(ascii: "{")]) {
      throw FeedError.notAFeed(
        path: file,
        reason: "it is one multi-line JSON object; a feed is one listing object per line (NDJSON) or a JSON array "
          + "of listing objects")
    }
  }

  func nextRecord() -> [FeedEvent]? {
    guard let line = pending ?? nextNonBlankLine() else {
      guard !finished else { return nil }
      finished = true
      guard let error = lines.readError else { return nil }
      let message = "reading stopped early: \(error)"
      return [.issue(InputIssue(kind: .unreadableFile, file: file, line: 0, message: message))]
    }
    pending = nil
    if let size = line.oversize {
      return [.issue(FeedRecordLimit.issue(file: file, line: line.number, size: size, limit: maxRecordBytes))]
    }
    return JSONRecord.events(raw: line.content, file: file, line: line.number, column: 1)
  }

  private func nextNonBlankLine() -> ByteLineReader.Line? {
    while let line = lines.nextLine() {
      if line.oversize != nil || !Self.trimmed(line.content).isEmpty { return line }
    }
    return nil
  }

  private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    let start = bytes.firstIndex { !FeedFormat.isJSONWhitespace($0) } ?? bytes.endIndex
    let end = bytes.lastIndex { !FeedFormat.isJSONWhitespace($0) }.map { $0 + 1 } ?? start
    return bytes[start..<max(start, end)]
  }
}
