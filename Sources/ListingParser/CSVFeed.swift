import CSV
import Foundation

/// Reads a CSV feed with a header row naming the schema fields (`id`, `title`, `seller.name`, …), one listing per row.
///
/// The file is streamed: `CSVRecordSplitter` cuts it into rows by their raw lines, reporting a row it cannot
/// delimit (a quoted cell never closed) and reading on after it; each row is decoded on its own, as UTF-8 when its
/// bytes are, else as GB18030 (what shops' Excel/WPS exports write), so a file that mixes both reads right; and
/// CSV.swift parses the row's cells. The raw lines also give each row its line number and each cell its column,
/// which CSV.swift does not report.
final class CSVFeed: FeedRecordSource {
  private let records: CSVRecordSplitter
  private let file: String
  /// Header names, trimmed and lowercased.
  private let columns: [String]
  private let idColumn: Int
  private var finished = false

  init(lines: ByteLineReader, file: String, maxRecordBytes: Int) throws {
    self.file = file
    records = CSVRecordSplitter(lines: lines, maxRecordBytes: maxRecordBytes)
    guard case .row(let headerLines)? = records.next() else {
      throw FeedError.notAFeed(path: file, reason: "no CSV header row (the first row cannot be read)")
    }
    let header = Self.cells(of: Self.decoded(headerLines).lines)
    columns = header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
    guard let idColumn = columns.firstIndex(of: FeedField.id.name), columns.contains(FeedField.title.name) else {
      let shown = header.prefix(12).map { "\"\($0.trimmingCharacters(in: .whitespacesAndNewlines))\"" }
      throw FeedError.notAFeed(
        path: file,
        reason: "the CSV header must name the columns `id` and `title` (found \(shown.joined(separator: ", "))); "
          + "the first row is the header")
    }
    self.idColumn = idColumn
  }

  func nextRecord() -> [FeedEvent]? {
    while let record = records.next() {
      switch record {
      case .row(let raw):
        if let events = events(raw: raw) { return events }
      case .unclosedQuote(let first, let reason):
        return [.issue(unclosedQuote(first, reason))]
      case .oversizeLine(let number, let length):
        return [.issue(FeedRecordLimit.issue(file: file, line: number, size: length, limit: records.maxRecordBytes))]
      }
    }
    guard !finished else { return nil }
    finished = true
    guard let error = records.readError else { return nil }
    return [.issue(InputIssue(kind: .unreadableFile, file: file, line: 0, message: "reading stopped early: \(error)"))]
  }

  /// The events of one delimited row, or nil for a blank line.
  private func events(raw: [ByteLineReader.Line]) -> [FeedEvent]? {
    let (rowLines, invalidSequences) = Self.decoded(raw)
    let cells = Self.cells(of: rowLines)
    let line = raw[0].number
    if cells.count == 1, cells[0].allSatisfy(\.isWhitespace) { return nil }
    let listingID = idColumn < cells.count ? nonEmpty(cells[idColumn]) : nil
    var events: [FeedEvent] = []
    if invalidSequences > 0 {
      events.append(
        .issue(
          InputIssue(
            kind: .encoding, file: file, line: line, listingID: listingID,
            message: "row has \(invalidSequences) byte sequence(s) that are neither UTF-8 nor GB18030; they were "
              + "replaced by U+FFFD — save the CSV as UTF-8")))
    }
    guard cells.count == columns.count else {
      var message = "row has \(cells.count) cells but the header has \(columns.count); quote cells that contain "
        + "commas or line breaks — row skipped"
      if raw.count > 1 {
        // A quoted cell ran over lines and the row still does not fit: most likely its closing quote is missing and
        // it swallowed the rows after it, which are read again.
        records.reread(raw.dropFirst())
        message += "; its quoted cell opened on line \(line) runs to line \(raw[raw.count - 1].number) (a missing "
          + "closing quote?), so the lines after line \(line) are read as rows"
      }
      let issue = InputIssue(kind: .raggedRow, file: file, line: line, listingID: listingID, message: message)
      return events + [.issue(issue)]
    }
    return events + self.events(cells: cells, rowLines: rowLines, line: line, listingID: listingID)
  }

  private func unclosedQuote(_ first: ByteLineReader.Line, _ reason: CSVRecordSplitter.UnclosedQuote) -> InputIssue {
    let cells = Self.cells(of: Self.decoded([first]).lines)
    let listingID = idColumn < cells.count ? nonEmpty(cells[idColumn]) : nil
    let opened = "row's quoted cell opened on line \(first.number)"
    let kind: InputIssue.Kind
    let what: String
    switch reason {
    case .endOfFile:
      (kind, what) = (.malformedRecord, "\(opened) is never closed: the file ends inside it")
    case .tooLarge:
      (kind, what) = (
        .tooLarge, "\(opened) is still open after \(records.maxRecordBytes) bytes (--max-record-bytes): a missing "
          + "closing quote?"
      )
    case .strayQuote(let line):
      (kind, what) = (
        .malformedRecord, "\(opened) runs on to line \(line), whose quote cannot close it: a missing closing quote?"
      )
    }
    return InputIssue(
      kind: kind, file: file, line: first.number, listingID: listingID,
      message: what + " — row skipped; the lines after it are read as rows")
  }

  private func events(cells: [String], rowLines: [ByteLineReader.Line], line: Int, listingID: String?) -> [FeedEvent] {
    Self.events(columns: columns, cells: cells, rowLines: rowLines, file: file, line: line, listingID: listingID)
  }

  private static func events(
    columns: [String], cells: [String], rowLines: [ByteLineReader.Line], file: String, line: Int, listingID: String?
  ) -> [FeedEvent] {
    let (object, csvIssues) = CSVRecordObject.make(
      columns: columns, cells: cells, file: file, line: line, listingID: listingID)
    let source = SourceLocation(file: file, line: line, column: 1, scope: .feedRecord)
    let (decoded, issues) = ListingRecordDecoder.decode(
      object: object, source: source, recordBytes: Array(cells.joined(separator: "\u{1F}").utf8))
    var events = (csvIssues + issues).map(FeedEvent.issue)
    if var listing = decoded {
      let located = CSVRowLocator.locate(lines: rowLines)
      for (index, column) in columns.enumerated()
      where index < located.count && located[index].utf8Count == cells[index].utf8.count && !cells[index].isEmpty {
        listing.fieldAnchors[column] = located[index].anchors
      }
      listing.rawRecord = RawRecord(bytes: storedRow(columns: columns, rowLines: rowLines), column: 1, format: .csvRow)
      events.append(.listing(listing))
    }
    return events
  }

  // MARK: Stored rows

  /// Separate the header cells, and the header from the row, in a stored row: control characters no header of
  /// this schema contains.
  private static let cellSeparator: UInt8 = 0x1F
  private static let headerEnd: UInt8 = 0x1E

  /// A row as `auditor queue add` stores it, for a worker that has no feed: the header's column names, then the
  /// row's lines (already UTF-8) with their line breaks, which are consecutive lines of the feed from the row's.
  static func storedRow(columns: [String], rowLines: [ByteLineReader.Line]) -> [UInt8] {
    var bytes: [UInt8] = []
    for (index, column) in columns.enumerated() {
      if index > 0 { bytes.append(cellSeparator) }
      bytes += column.utf8
    }
    bytes.append(headerEnd)
    for line in rowLines { bytes += line.content + line.terminator }
    return bytes
  }

  /// Reads a stored row again (`storedRow`) as the feed reader read it at `file`:`line`.
  static func events(storedRow bytes: [UInt8], file: String, line: Int) -> [FeedEvent] {
    guard let end = bytes.firstIndex(of: headerEnd) else {
      let source = SourceLocation(file: file, line: line, column: 1, scope: .feedRecord)
      return [.issue(ListingRecordDecoder.malformed(source: source, message: "was stored without its CSV header"))]
    }
    let columns = bytes[..<end].split(separator: cellSeparator, omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    var rowLines: [ByteLineReader.Line] = []
    var start = end + 1
    // The line breaks CSV rows are split on: LF, CRLF and a lone CR.
    while start < bytes.count {
      var index = start
      while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
      var after = index
      if after < bytes.count {
        let crlf = bytes[after] == 0x0D && after + 1 < bytes.count && bytes[after + 1] == 0x0A
        after += crlf ? 2 : 1
      }
      rowLines.append(
        ByteLineReader.Line(
          number: line + rowLines.count, content: Array(bytes[start..<index]), terminator: Array(bytes[index..<after])))
      start = after
    }
    let cells = Self.cells(of: rowLines)
    let idColumn = columns.firstIndex(of: FeedField.id.name)
    let listingID = idColumn.flatMap { index in
      index < cells.count ? cells[index].trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
    return events(
      columns: columns, cells: cells, rowLines: rowLines, file: file, line: line,
      listingID: listingID?.isEmpty == false ? listingID : nil)
  }

  private func nonEmpty(_ cell: String) -> String? {
    let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// A row's lines as UTF-8, and how many byte sequences were neither UTF-8 nor GB18030. A row is GB18030 as a
  /// whole when any of its bytes are not UTF-8, as a JSON record is.
  private static func decoded(_ raw: [ByteLineReader.Line]) -> (lines: [ByteLineReader.Line], invalidSequences: Int) {
    guard !raw.allSatisfy({ CharsetDecoder.isValidUTF8($0.content) }) else { return (raw, 0) }
    var invalid = 0
    let lines = raw.map { line in
      var decoded = line
      let (utf8, bad) = CharsetDecoder.gb18030ToUTF8(line.content)
      decoded.content = utf8
      invalid += bad
      return decoded
    }
    return (lines, invalid)
  }

  /// The row's cell values as CSV.swift reads them.
  private static func cells(of lines: [ByteLineReader.Line]) -> [String] {
    var bytes: [UInt8] = []
    for (index, line) in lines.enumerated() {
      bytes += line.content
      if index < lines.count - 1 { bytes += line.terminator }
    }
    let reader = try? CSVReader(string: String(decoding: bytes, as: UTF8.self), hasHeaderRow: false)
    return reader?.next() ?? [""]
  }
}
