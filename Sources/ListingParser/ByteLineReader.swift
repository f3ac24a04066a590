import Foundation

/// Reads a file line by line, 64 KB at a time, so memory holds one chunk plus the longest line rather than the
/// whole feed; a line longer than `maxLineBytes` is skipped to its end as it streams by, never held whole.
///
/// A UTF-8 byte-order mark at the start is dropped, as CSV.swift and JSON parsers do, so columns start at the first
/// visible character.
final class ByteLineReader {
  struct Line {
    /// 1-based line number.
    var number: Int
    var content: [UInt8]
    /// The line break as it was in the file: LF, CRLF, a lone CR (only with `splitOnLoneCR`), or empty at the end.
    var terminator: [UInt8]
    /// The line's length when it was longer than `maxLineBytes`; `content` is then empty.
    var oversize: Int?
  }

  static let chunkSize = 64 * 1024

  private let handle: FileHandle
  private var buffer: [UInt8]
  private var start = 0
  private var endOfInput: Bool
  /// CSV.swift ends a row at a lone CR too; NDJSON only at LF.
  private let splitOnLoneCR: Bool
  private let maxLineBytes: Int
  private var lineNumber = 0
  /// Why reading stopped early, if it did.
  private(set) var readError: String?

  init(handle: FileHandle, splitOnLoneCR: Bool = false, maxLineBytes: Int = .max) {
    self.handle = handle
    self.buffer = []
    self.endOfInput = false
    self.splitOnLoneCR = splitOnLoneCR
    self.maxLineBytes = maxLineBytes
  }

  /// Where the content before the break at `breakIndex` ends and where the next line starts: CRLF, LF and (with
  /// `splitOnLoneCR`) a lone CR are one break each.
  private func lineEnd(at breakIndex: Int) -> (contentEnd: Int, afterBreak: Int) {
    var contentEnd = breakIndex
    var afterBreak = breakIndex + 1
    if buffer[breakIndex] == 0x0D {
      if afterBreak < buffer.count, buffer[afterBreak] == 0x0A { afterBreak += 1 }
    } else if contentEnd > start, buffer[contentEnd - 1] == 0x0D {
      contentEnd -= 1
    }
    return (contentEnd, afterBreak)
  }

  func nextLine() -> Line? {
    var searchFrom = start
    while true {
      if let breakIndex = buffer[searchFrom...].firstIndex(where: { $0 == 0x0A || (splitOnLoneCR && $0 == 0x0D) }) {
        if buffer[breakIndex] == 0x0D, breakIndex + 1 == buffer.count, !endOfInput {
          searchFrom = breakIndex - start
          refill()
          searchFrom += start
          continue
        }
        let (contentEnd, afterBreak) = lineEnd(at: breakIndex)
        if contentEnd - start > maxLineBytes {
          return oversizeLine(length: contentEnd - start, terminator: contentEnd..<afterBreak)
        }
        return makeLine(content: start..<contentEnd, terminator: contentEnd..<afterBreak)
      }
      if endOfInput {
        guard start < buffer.count else { return nil }
        if buffer.count - start > maxLineBytes {
          return oversizeLine(length: buffer.count - start, terminator: buffer.count..<buffer.count)
        }
        return makeLine(content: start..<buffer.count, terminator: buffer.count..<buffer.count)
      }
      if buffer.count - start > maxLineBytes { return skipOversizeLine() }
      searchFrom = buffer.count - start
      refill()
      searchFrom += start
    }
  }

  /// Reads on to the end of a line already longer than `maxLineBytes`, dropping each chunk once searched, and
  /// returns the line with its length and no content.
  private func skipOversizeLine() -> Line {
    var length = 0
    while true {
      if let breakIndex = buffer[start...].firstIndex(where: { $0 == 0x0A || (splitOnLoneCR && $0 == 0x0D) }) {
        if buffer[breakIndex] == 0x0D, breakIndex + 1 == buffer.count, !endOfInput {
          length += breakIndex - start
          start = breakIndex
          refill()
          continue
        }
        let (contentEnd, afterBreak) = lineEnd(at: breakIndex)
        length += contentEnd - start
        return oversizeLine(length: length, terminator: contentEnd..<afterBreak)
      }
      length += buffer.count - start
      start = buffer.count
      if endOfInput { return oversizeLine(length: length, terminator: start..<start) }
      refill()
    }
  }

  private func oversizeLine(length: Int, terminator: Range<Int>) -> Line {
    lineNumber += 1
    let line = Line(number: lineNumber, content: [], terminator: Array(buffer[terminator]), oversize: length)
    start = terminator.upperBound
    return line
  }

  private func makeLine(content: Range<Int>, terminator: Range<Int>) -> Line {
    lineNumber += 1
    var content = buffer[content]
    if lineNumber == 1, content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
    let line = Line(number: lineNumber, content: Array(content), terminator: Array(buffer[terminator]), oversize: nil)
    start = terminator.upperBound
    return line
  }

  /// Drops the bytes already returned and appends the next chunk; `start` becomes 0.
  private func refill() {
    buffer.removeFirst(start)
    start = 0
    do {
      let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
      if chunk.isEmpty { endOfInput = true } else { buffer.append(contentsOf: chunk) }
    } catch {
      readError = String(describing: error)
      endOfInput = true
    }
  }
}
