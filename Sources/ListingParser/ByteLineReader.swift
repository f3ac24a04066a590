import Foundation

/// Reads a file line by line, 64 KB at a time, so memory holds one chunk plus the longest line rather than the
/// whole feed. Also reads bytes already in memory (a GB18030 CSV decoded up front).
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
  }

  static let chunkSize = 64 * 1024

  private let handle: FileHandle?
  private var buffer: [UInt8]
  private var start = 0
  private var endOfInput: Bool
  /// CSV.swift ends a row at a lone CR too; NDJSON only at LF.
  private let splitOnLoneCR: Bool
  private var lineNumber = 0
  /// Why reading stopped early, if it did.
  private(set) var readError: String?

  init(handle: FileHandle, splitOnLoneCR: Bool = false) {
    self.handle = handle
    self.buffer = []
    self.endOfInput = false
    self.splitOnLoneCR = splitOnLoneCR
  }

  init(bytes: [UInt8], splitOnLoneCR: Bool = false) {
    self.handle = nil
    self.buffer = bytes
    self.endOfInput = true
    self.splitOnLoneCR = splitOnLoneCR
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
        var contentEnd = breakIndex
        var afterBreak = breakIndex + 1
        if buffer[breakIndex] == 0x0D {
          if afterBreak < buffer.count, buffer[afterBreak] == 0x0A { afterBreak += 1 }
        } else if contentEnd > start, buffer[contentEnd - 1] == 0x0D {
          contentEnd -= 1
        }
        return makeLine(content: start..<contentEnd, terminator: contentEnd..<afterBreak)
      }
      if endOfInput {
        guard start < buffer.count else { return nil }
        return makeLine(content: start..<buffer.count, terminator: buffer.count..<buffer.count)
      }
      searchFrom = buffer.count - start
      refill()
      searchFrom += start
    }
  }

  private func makeLine(content: Range<Int>, terminator: Range<Int>) -> Line {
    lineNumber += 1
    var content = buffer[content]
    if lineNumber == 1, content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
    let line = Line(number: lineNumber, content: Array(content), terminator: Array(buffer[terminator]))
    start = terminator.upperBound
    return line
  }

  /// Drops the bytes already returned and appends the next chunk; `start` becomes 0.
  private func refill() {
    buffer.removeFirst(start)
    start = 0
    guard let handle else {
      endOfInput = true
      return
    }
    do {
      let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
      if chunk.isEmpty { endOfInput = true } else { buffer.append(contentsOf: chunk) }
    } catch {
      readError = String(describing: error)
      endOfInput = true
    }
  }
}
