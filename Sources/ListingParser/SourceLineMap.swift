#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns byte offsets in a UTF-8 page into 1-based lines and columns.
///
/// Columns count Unicode scalars, so a CJK character or an emoji moves the column by one. A line ends at `\n`,
/// `\r\n` or a lone `\r`, the same breaks an editor shows; GB18030 and UTF-8 encode them with the same bytes, so
/// lines match the original file even when the page was converted.
///
/// Lookups mostly arrive in document order, so the map remembers the last answer and counts scalars only from
/// there: minified pages put 100 KB on one line, and counting from the line start each time would be quadratic.
struct SourceLineMap {
  private let lineStarts: [Int]
  private var cachedOffset = 0
  private var cachedLine = 0
  private var cachedColumn = 1

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var starts = [0]
    starts.reserveCapacity(bytes.count / 64 + 1)
    guard let base = bytes.baseAddress, !bytes.isEmpty else {
      lineStarts = starts
      return
    }
    let count = bytes.count
    if memchr(base, 0x0D, count) == nil {
      // No carriage returns (most pages): let memchr find the line feeds.
      var index = 0
      while index < count, let found = memchr(base + index, 0x0A, count - index) {
        index = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        starts.append(index)
      }
    } else {
      var index = 0
      while index < count {
        let byte = bytes[index]
        index += 1
        if byte == 0x0A {
          starts.append(index)
        } else if byte == 0x0D {
          if index < count && bytes[index] == 0x0A { index += 1 }
          starts.append(index)
        }
      }
    }
    lineStarts = starts
  }

  /// The 1-based line and column of the character starting at `offset`.
  mutating func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    let offset = max(0, min(offset, bytes.count))
    let lineIndex = self.lineIndex(containing: offset)
    let lineStart = lineStarts[lineIndex]
    var column: Int
    if lineIndex == cachedLine && offset >= cachedOffset {
      column = cachedColumn + Self.scalarCount(bytes, cachedOffset, offset)
    } else if lineIndex == cachedLine && offset - lineStart > cachedOffset - offset {
      column = cachedColumn - Self.scalarCount(bytes, offset, cachedOffset)
    } else {
      column = 1 + Self.scalarCount(bytes, lineStart, offset)
    }
    column = max(column, 1)
    cachedOffset = offset
    cachedLine = lineIndex
    cachedColumn = column
    return (lineIndex + 1, column)
  }

  /// The 1-based line of `offset`.
  func line(of offset: Int) -> Int { lineIndex(containing: max(0, offset)) + 1 }

  private func lineIndex(containing offset: Int) -> Int {
    if cachedLine + 1 < lineStarts.count, lineStarts[cachedLine] <= offset, offset < lineStarts[cachedLine + 1] {
      return cachedLine
    }
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// Scalars starting in `bytes[from..<to]`: every byte that is not a UTF-8 continuation byte (10xxxxxx),
  /// counted eight bytes at a time.
  private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
    guard from < to, let base = bytes.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    var continuations = 0
    var index = from
    while index + 8 <= to {
      let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      continuations += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
      index += 8
    }
    while index < to {
      if bytes[index] & 0xC0 == 0x80 { continuations += 1 }
      index += 1
    }
    return to - from - continuations
  }
}
