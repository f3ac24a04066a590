/// Accumulates the text of one block as UTF-8 bytes, collapsing whitespace and recording anchors.
///
/// Bytes rather than `String` appends because this runs over every character of every page. Whitespace (ASCII
/// space, tab, CR, LF, FF, U+00A0 and the ideographic space U+3000) collapses to one space and is dropped at the
/// ends of a block. An anchor is recorded at the first character of every chunk and after every whitespace run that
/// did not map one source scalar to the one space written, so `TextBlock.location(atUTF8Offset:)` is exact.
struct TextBlockBuilder {
  /// Where a chunk's bytes are in the source.
  enum ChunkSource {
    /// The chunk is a copy of the source starting at this offset.
    case verbatim(Int)
    /// The chunk was decoded from the source at this offset (an entity such as `&nbsp;`).
    case decoded(Int)
  }

  private(set) var bytes: [UInt8] = []
  private(set) var anchors: [TextBlock.Anchor] = []
  /// The index in the page's block list where this block belongs, taken when its first character arrives.
  private(set) var blockIndex = 0
  private var pendingSpace = false
  private var anchorNeeded = true
  private var whitespaceScalars = 0
  private var whitespaceHasBreak = false

  var isEmpty: Bool { bytes.isEmpty }

  /// Appends `chunk`; anchors record the source offsets its text came from.
  mutating func append(_ chunk: UnsafeBufferPointer<UInt8>, from source: ChunkSource, blockIndex nextBlockIndex: Int) {
    anchorNeeded = true
    let count = chunk.count
    var index = 0
    while index < count {
      let spaceLength = Self.whitespaceLength(chunk, at: index)
      if spaceLength > 0 {
        if !bytes.isEmpty { pendingSpace = true }
        whitespaceScalars += 1
        if chunk[index] == 0x0A || chunk[index] == 0x0D { whitespaceHasBreak = true }
        index += spaceLength
        continue
      }
      let end = Self.endOfText(chunk, from: index + 1)
      if bytes.isEmpty { blockIndex = nextBlockIndex }
      if pendingSpace {
        bytes.append(0x20)
        pendingSpace = false
      }
      if anchorNeeded || whitespaceScalars > 1 || whitespaceHasBreak {
        let offset: Int
        switch source {
        case .verbatim(let start): offset = start + index
        case .decoded(let start): offset = start
        }
        anchors.append(TextBlock.Anchor(textOffset: bytes.count, sourceOffset: offset))
        anchorNeeded = false
      }
      whitespaceScalars = 0
      whitespaceHasBreak = false
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[index..<end]))
      index = end
    }
  }

  /// Appends a separator between two cells of a row (`注册号 | 3205…`): a label and its value stay in one block,
  /// and the bar keeps them apart after normalisation, which drops a plain space between two Chinese characters.
  mutating func separateCell() {
    guard !bytes.isEmpty else { return }
    bytes.append(contentsOf: [0x20, 0x7C, 0x20])
    pendingSpace = false
    anchorNeeded = true
    whitespaceScalars = 0
    whitespaceHasBreak = false
  }

  /// Takes the finished text (UTF-8) and anchors and starts a new, empty block.
  mutating func take() -> (utf8: [UInt8], anchors: [TextBlock.Anchor]) {
    let result = (bytes, anchors)
    bytes = []
    bytes.reserveCapacity(result.0.count)
    reset()
    return result
  }

  /// Drops any collected text and starts a new, empty block.
  mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
    anchors = []
    pendingSpace = false
    anchorNeeded = true
    whitespaceScalars = 0
    whitespaceHasBreak = false
  }

  /// The offset of the first whitespace character at or after `start`, or the chunk's end. Skips eight bytes at a
  /// time and checks bytes one by one only in a window that may hold whitespace (Chinese punctuation such as 。
  /// shares its lead byte with U+3000, so such windows are common).
  private static func endOfText(_ chunk: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    guard let base = chunk.baseAddress else { return start }
    let raw = UnsafeRawPointer(base)
    let count = chunk.count
    var end = start
    while end < count {
      while end + 8 <= count, !mayHoldWhitespace(raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)) {
        end += 8
      }
      let windowEnd = min(end + 8, count)
      while end < windowEnd {
        if !cannotStartWhitespace(chunk[end]) && whitespaceLength(chunk, at: end) > 0 { return end }
        end += 1
      }
    }
    return count
  }

  /// False if none of the eight bytes in `word` can start a whitespace character (none is ≤ 0x20, 0xC2 or 0xE3),
  /// so runs of text are skipped eight bytes at a time. May say true when there is none; never false when there is.
  @inline(__always)
  private static func mayHoldWhitespace(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let below21 = (word &- ones &* 0x21) & ~word & highs
    let c2 = word ^ (ones &* 0xC2)
    let e3 = word ^ (ones &* 0xE3)
    let zeros = ((c2 &- ones) & ~c2 | (e3 &- ones) & ~e3) & highs
    return below21 | zeros != 0
  }

  /// True for the bytes that start no whitespace character: the quick test for the common case.
  @inline(__always)
  private static func cannotStartWhitespace(_ byte: UInt8) -> Bool {
    byte > 0x20 && byte != 0xC2 && byte != 0xE3
  }

  /// Length in bytes of the whitespace character at `index`, or 0 if there is none.
  @inline(__always)
  static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    let byte = bytes[index]
    switch byte {
    case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
      return 1
    case 0xC2:
      return index + 1 < bytes.count && bytes[index + 1] == 0xA0 ? 2 : 0
    case 0xE3:
      return index + 2 < bytes.count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80 ? 3 : 0
    default:
      return 0
    }
  }
}
