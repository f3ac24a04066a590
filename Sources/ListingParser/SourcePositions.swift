/// Byte offset → (line, column) for one UTF-8 source, columns in Unicode scalars.
///
/// Offsets arrive mostly in increasing order during a walk, so the last answer is kept and the next one counts on
/// from it: minified pages put 700 KB on one line, and counting each column from the line start would be quadratic.
final class SourcePositions {
  private let source: [UInt8]
  private let lineStarts: [Int]
  private let lineOffset: Int
  private let firstLineColumnOffset: Int
  private var lastOffset = 0
  private var lastLine = 0
  private var lastColumn = 0
  private var hasLast = false

  init(_ source: [UInt8], lineOffset: Int, firstLineColumnOffset: Int) {
    self.source = source
    self.lineOffset = lineOffset
    self.firstLineColumnOffset = firstLineColumnOffset
    var starts = [0]
    for (index, byte) in source.enumerated() where byte == 0x0A { starts.append(index + 1) }
    lineStarts = starts
  }

  /// 1-based line and column of the character starting at `offset`, shifted by the offsets given at creation.
  func position(of offset: Int) -> (line: Int, column: Int) {
    let offset = max(0, min(offset, source.count))
    var line: Int
    var column: Int
    var from: Int
    if hasLast, offset >= lastOffset, !source[lastOffset..<offset].contains(0x0A) {
      line = lastLine
      column = lastColumn
      from = lastOffset
    } else {
      var low = 0
      var high = lineStarts.count - 1
      while low < high {
        let mid = (low + high + 1) / 2
        if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
      }
      line = low
      column = 0
      from = lineStarts[low]
    }
    var index = from
    while index < offset {
      if source[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    lastOffset = offset
    lastLine = line
    lastColumn = column
    hasLast = true
    // line is 0-based here, column counts scalars before the offset.
    let shift = line == 0 ? firstLineColumnOffset : 0
    return (line + 1 + lineOffset, column + 1 + shift)
  }
}
