/// Splits a CSV file into records — the raw lines each row spans — before any cell is parsed, so that a row the
/// file cannot delimit is reported and reading goes on after it, where CSV.swift would read to the end of the file.
///
/// A row spans several lines only while a quoted cell is open, with CSV.swift's rules: a quote opens a cell only as
/// its first character, and inside quotes `""` is a quote and a quote ends the cell only before a comma, a line break
/// or the end of the file. A cell still open at the end of the file, past the record size limit, or meeting on a
/// later line a quote that cannot close it (`"x`: the opening quote of a later row's cell, most likely) is given
/// up on: the row is reported and its lines after the first are read again as rows of their own (`reread`), which
/// is where a missing closing quote has put them. The scan works on bytes in UTF-8 and GB18030 alike: quotes, commas
/// and line breaks are never part of a multi-byte character in either.
final class CSVRecordSplitter {
  enum Record {
    /// The lines of one row, in order.
    case row([ByteLineReader.Line])
    /// A row whose quoted cell, opened on its first line, does not close where a cell can.
    case unclosedQuote(first: ByteLineReader.Line, reason: UnclosedQuote)
    /// A single line longer than the size limit, skipped unread.
    case oversizeLine(number: Int, length: Int)
  }

  enum UnclosedQuote {
    case endOfFile
    case tooLarge
    /// A quote on this later line that, inside a quoted cell, is neither `""` nor before a comma or line break.
    case strayQuote(line: Int)
  }

  /// Where a line leaves the row: inside a quoted cell, outside, or at a quote that cannot close the open cell.
  enum LineEnd { case closed, open, strayQuote }

  private let lines: ByteLineReader
  let maxRecordBytes: Int
  /// Lines read ahead and given back (the lines of a row that was given up on, to be read again), the next last.
  private var pending: [ByteLineReader.Line] = []

  init(lines: ByteLineReader, maxRecordBytes: Int) {
    self.lines = lines
    self.maxRecordBytes = maxRecordBytes
  }

  var readError: String? { lines.readError }

  func next() -> Record? {
    guard let first = nextLine() else { return nil }
    if let length = first.oversize { return .oversizeLine(number: first.number, length: length) }
    var row = [first]
    var size = first.content.count
    // A stray quote on the row's own first line is CSV.swift's to read as it does; only a later one is a sign.
    var end = Self.scan(first.content, continuing: false)
    while end != .closed {
      guard let line = nextLine() else { return giveUp(row, first, .endOfFile) }
      size += row[row.count - 1].terminator.count + line.content.count
      guard line.oversize == nil, size <= maxRecordBytes else { return giveUp(row + [line], first, .tooLarge) }
      row.append(line)
      end = Self.scan(line.content, continuing: true)
      if end == .strayQuote { return giveUp(row, first, .strayQuote(line: line.number)) }
    }
    return .row(row)
  }

  private func giveUp(
    _ row: [ByteLineReader.Line], _ first: ByteLineReader.Line, _ reason: UnclosedQuote
  ) -> Record {
    reread(row.dropFirst())
    return .unclosedQuote(first: first, reason: reason)
  }

  /// Gives back lines to be read again as rows, before any line not read yet.
  func reread(_ given: ArraySlice<ByteLineReader.Line>) {
    pending.append(contentsOf: given.reversed())
  }

  private func nextLine() -> ByteLineReader.Line? {
    pending.popLast() ?? lines.nextLine()
  }

  /// Whether a quoted cell is still open at the end of `content`, a line that starts a row or `continuing` one
  /// inside an open quoted cell; a stray quote in that carried cell ends the scan.
  static func scan(_ content: [UInt8], continuing: Bool) -> LineEnd {
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
    var quoted = continuing
    var atCellStart = !continuing
    /// Inside the cell carried over from the line before, where a stray quote is a sign of a missing closing one.
    var inCarriedCell = continuing
    var index = 0
    while index < content.count {
      let byte = content[index]
      if quoted {
        guard byte == quote else {
          index += 1
          continue
        }
        // A quote before the line break closes the cell and ends the row.
        guard index + 1 < content.count else { return .closed }
        let next = content[index + 1]
        if next == comma {
          quoted = false
          atCellStart = true
          inCarriedCell = false
        } else if next != quote, inCarriedCell {
          return .strayQuote
        }
        // `""`, `",` or a quote before anything else, which CSV.swift keeps (dropping that character) and goes on.
        index += 2
      } else {
        if atCellStart, byte == quote {
          quoted = true
          atCellStart = false
        } else {
          atCellStart = byte == comma
        }
        index += 1
      }
    }
    return quoted ? .open : .closed
  }
}
