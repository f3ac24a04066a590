#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import Algorithms

/// Turns byte offsets in a UTF-8 page into 1-based lines and columns, as reported (shifted for HTML embedded in a
/// feed line).
///
/// Columns count Unicode scalars, so a CJK character or an emoji moves the column by one. A line ends at `\n`,
/// `\r\n` or a lone `\r`, the same breaks an editor shows; GB18030 and UTF-8 encode them with the same bytes, so
/// lines match the original file even when the page was converted.
///
/// Page text blocks keep source offsets and ask this map only when a finding needs its line and column: working out
/// a column for every chunk of text as the page was walked counted every scalar of the page once more, for the one
/// or two places per page a finding points at. The map holds the page and is shared by its blocks, read-only.
public final class SourceLineMap: Sendable {
  private let bytes: [UInt8]
  private let lineStarts: [Int]
  private let lineOffset: Int
  private let firstLineColumnOffset: Int

  /// `lineOffset` lines come before the page's first line; its first line starts `firstLineColumnOffset` columns
  /// in (HTML carried in a feed field).
  init(_ bytes: [UInt8], lineOffset: Int = 0, firstLineColumnOffset: Int = 0) {
    self.bytes = bytes
    self.lineOffset = lineOffset
    self.firstLineColumnOffset = firstLineColumnOffset
    lineStarts = bytes.withUnsafeBufferPointer(Self.lineStarts)
  }

  private static func lineStarts(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
    var starts = [0]
    starts.reserveCapacity(bytes.count / 64 + 1)
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return starts }
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
    return starts
  }

  /// The line and column of the character starting at `offset`, as reported.
  public func position(of offset: Int) -> (line: Int, column: Int) {
    let offset = max(0, min(offset, bytes.count))
    let lineIndex = self.lineIndex(containing: offset)
    let column = 1 + bytes.withUnsafeBufferPointer { Self.scalarCount($0, lineStarts[lineIndex], offset) }
    return (lineIndex + 1 + lineOffset, lineIndex == 0 ? column + firstLineColumnOffset : column)
  }

  /// The line of `offset`, as reported.
  func line(of offset: Int) -> Int { lineIndex(containing: max(0, offset)) + 1 + lineOffset }

  private func lineIndex(containing offset: Int) -> Int {
    max(0, lineStarts.partitioningIndex { $0 > offset } - 1)
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
