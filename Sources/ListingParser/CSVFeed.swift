import CSV
import Foundation

/// Reads a CSV feed with a header row naming the schema fields (`id`, `title`, `seller.name`, …), one listing per row.
///
/// UTF-8 files are streamed through CSV.swift from an InputStream. A file that is not valid UTF-8 is decoded whole
/// with `CharsetDecoder` (as GB18030) and parsed from memory: such CSVs come from Excel/WPS exports of a shop's
/// catalogue and are small, and CSV.swift can only stream UTF-8. A second line reader follows the same bytes to give
/// each row its line number and each cell its column, which CSV.swift does not report.
final class CSVFeed: FeedRecordSource {
  private let reader: CSVReader
  private let lines: ByteLineReader
  private let file: String
  /// Header names, trimmed and lowercased.
  private let columns: [String]
  private let idColumn: Int
  private var pendingEvents: [FeedEvent] = []
  private var finished = false

  init(path: String, file: String) throws {
    self.file = file
    let isUTF8 = try Self.isValidUTF8(path: path, file: file)
    do {
      if isUTF8 {
        guard let stream = InputStream(fileAtPath: path), let handle = FileHandle(forReadingAtPath: path) else {
          throw FeedError.unreadable(path: file, reason: "cannot open")
        }
        reader = try CSVReader(stream: stream, hasHeaderRow: true)
        lines = ByteLineReader(handle: handle, splitOnLoneCR: true)
      } else {
        guard let bytes = FileManager.default.contents(atPath: path) else {
          throw FeedError.unreadable(path: file, reason: "cannot open")
        }
        let decoded = CharsetDecoder.decode(Array(bytes))
        reader = try CSVReader(string: String(decoding: decoded.utf8, as: UTF8.self), hasHeaderRow: true)
        lines = ByteLineReader(bytes: decoded.utf8, splitOnLoneCR: true)
        if decoded.invalidSequences > 0 {
          pendingEvents.append(
            .issue(
              InputIssue(
                kind: .encoding, file: file, line: 0,
                message: "\(decoded.invalidSequences) byte sequence(s) are neither UTF-8 nor GB18030 and were replaced "
                  + "by U+FFFD; save the CSV as UTF-8")))
        }
      }
    } catch let error as FeedError {
      throw error
    } catch {
      throw FeedError.notAFeed(path: file, reason: "no CSV header row")
    }
    let header = reader.headerRow ?? []
    columns = header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
    guard let idColumn = columns.firstIndex(of: "id"), columns.contains("title") else {
      let shown = header.prefix(12).map { "\"\($0.trimmingCharacters(in: .whitespacesAndNewlines))\"" }
      throw FeedError.notAFeed(
        path: file,
        reason: "the CSV header must name the columns `id` and `title` (found \(shown.joined(separator: ", "))); "
          + "the first row is the header")
    }
    self.idColumn = idColumn
    _ = take(lineCountOf: header)
  }

  func nextRecord() -> [FeedEvent]? {
    if !pendingEvents.isEmpty {
      defer { pendingEvents.removeAll() }
      return pendingEvents
    }
    while let cells = reader.next() {
      let rowLines = take(lineCountOf: cells)
      let line = rowLines.first?.number ?? 0
      if cells.count == 1, cells[0].allSatisfy(\.isWhitespace) { continue }
      let listingID = idColumn < cells.count ? nonEmpty(cells[idColumn]) : nil
      guard cells.count == columns.count else {
        return [
          .issue(
            InputIssue(
              kind: .raggedRow, file: file, line: line, listingID: listingID,
              message: "row has \(cells.count) cells but the header has \(columns.count); quote cells that contain "
                + "commas or line breaks — row skipped"))
        ]
      }
      return events(cells: cells, rowLines: rowLines, line: line, listingID: listingID)
    }
    guard !finished else { return nil }
    finished = true
    guard let error = streamError ?? lines.readError else { return nil }
    return [.issue(InputIssue(kind: .unreadableFile, file: file, line: 0, message: "reading stopped early: \(error)"))]
  }

  /// A real read error. CSV.swift also sets `cannotReadFile` at every normal end of file (the stream says it has
  /// bytes until a read returns none), so that one means "done".
  private var streamError: String? {
    guard case .streamErrorHasOccurred(let error)? = reader.error as? CSVError else { return nil }
    return String(describing: error)
  }

  private func events(cells: [String], rowLines: [ByteLineReader.Line], line: Int, listingID: String?) -> [FeedEvent] {
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
      events.append(.listing(listing))
    }
    return events
  }

  private func nonEmpty(_ cell: String) -> String? {
    let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }

  /// The raw lines a row spans: one, plus one per line break CSV.swift kept inside its quoted cells.
  private func take(lineCountOf cells: [String]) -> [ByteLineReader.Line] {
    var breaks = 0
    for cell in cells {
      var previous: Unicode.Scalar?
      for scalar in cell.unicodeScalars {
        if scalar == "\r" || (scalar == "\n" && previous != "\r") { breaks += 1 }
        previous = scalar
      }
    }
    return (0...breaks).compactMap { _ in lines.nextLine() }
  }

  /// Checks the whole file 64 KB at a time, carrying a character split across chunks over to the next.
  private static func isValidUTF8(path: String, file: String) throws -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw FeedError.unreadable(path: file, reason: "cannot open")
    }
    defer { try? handle.close() }
    var carry: [UInt8] = []
    while true {
      let chunk: Data
      do {
        chunk = try handle.read(upToCount: ByteLineReader.chunkSize) ?? Data()
      } catch {
        throw FeedError.unreadable(path: file, reason: String(describing: error))
      }
      if chunk.isEmpty { return carry.isEmpty }
      var bytes = carry + chunk
      let cut = incompleteTailStart(bytes)
      carry = Array(bytes[cut...])
      bytes.removeSubrange(cut...)
      if !CharsetDecoder.isValidUTF8(bytes) { return false }
    }
  }

  /// Where a multi-byte character cut off at the end of `bytes` starts (`bytes.count` when none is).
  private static func incompleteTailStart(_ bytes: [UInt8]) -> Int {
    for back in 1...min(3, bytes.count) {
      let byte = bytes[bytes.count - back]
      guard byte & 0xC0 == 0x80 else {
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        return length > back ? bytes.count - back : bytes.count
      }
    }
    return bytes.count
  }
}
