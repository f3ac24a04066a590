import Foundation

/// Text as the rules match it, with a map back to the original.
///
/// Merchants dodge keyword filters with full-width letters (ＳＣ), spaced-out characters (`概 不 退 换`), zero-width
/// characters and compatibility forms (①, ㎏). Matching runs on a normalised copy — NFKC, full-width → half-width,
/// zero-width removed, case folded, whitespace collapsed and dropped between two CJK characters or a CJK character
/// and a digit (`不支持 7 天无理由`) — and every
/// normalised byte remembers the original UTF-8 offset it came from, so a finding still quotes and locates the
/// merchant's own text.
public struct NormalizedText: Sendable {
  /// The normalised text as UTF-8.
  public let bytes: [UInt8]
  /// `originalOffsets[i]` is the UTF-8 offset in the original text of the character that produced normalised byte
  /// `i`; one extra entry maps `bytes.count` to the original end.
  public let originalOffsets: [Int32]

  public init(_ original: String) {
    var original = original
    self = original.withUTF8 { NormalizedText(validUTF8: $0) }
  }

  /// The normalised form of text already held as valid UTF-8 (a block's bytes).
  public init(utf8: [UInt8]) {
    self = utf8.withUnsafeBufferPointer { NormalizedText(validUTF8: $0) }
  }

  private init(validUTF8 utf8: UnsafeBufferPointer<UInt8>) {
    // Written straight into the arrays' storage: the normalised text is rarely longer than the original (full-width
    // forms shrink), and when compatibility forms make it so (㍿ → 株式会社) the text is normalised again with room.
    var capacity = utf8.count + 8
    while true {
      var complete = false
      var offsets: [Int32] = []
      let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { byteBuffer, byteCount in
        offsets = [Int32](unsafeUninitializedCapacity: capacity + 1) { offsetBuffer, offsetCount in
          var builder = Builder(bytes: byteBuffer.baseAddress!, offsets: offsetBuffer.baseAddress!, capacity: capacity)
          Self.normalize(utf8, into: &builder)
          complete = !builder.overflowed
          byteCount = complete ? builder.count : 0
          offsetCount = complete ? builder.finish(originalCount: utf8.count) : 0
        }
      }
      if complete {
        self.bytes = bytes
        originalOffsets = offsets
        return
      }
      capacity = capacity * 4 + 64
    }
  }

  private static func normalize(_ utf8: UnsafeBufferPointer<UInt8>, into builder: inout Builder) {
    var offset = 0
    let count = utf8.count
    while offset < count, !builder.overflowed {
      let lead = utf8[offset]
      if lead < 0x80 {
        let value = UInt32(lead)
        if value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0x0C {
          builder.space(at: offset)
        } else {
          builder.emit(value >= 0x41 && value <= 0x5A ? value + 0x20 : value, from: offset)
        }
        offset += 1
        continue
      }
      if isCommonHan(utf8, at: offset) {
        // The bulk of Chinese text, copied a run at a time without decoding.
        var end = offset + 3
        while isCommonHan(utf8, at: end) { end += 3 }
        builder.emitHanRun(UnsafeBufferPointer(rebasing: utf8[offset..<end]), from: offset)
        offset = end
        continue
      }
      let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
      guard offset + length <= count else { break }
      var value = UInt32(lead) & (lead >= 0xF0 ? 0x07 : lead >= 0xE0 ? 0x0F : 0x1F)
      for index in 1..<length { value = (value << 6) | (UInt32(utf8[offset + index]) & 0x3F) }
      let origin = offset
      offset += length
      if isCJK(value) {
        builder.emit(value, from: origin)
        continue
      }
      if isIgnorable(value) { continue }
      switch UnicodeTable.kind(of: value) {
      case .whitespace:
        builder.space(at: origin)
      case .unchanged:
        builder.emit(value, from: origin)
      case .changes where value >= 0xFF01 && value <= 0xFF5E:
        // Full-width ASCII: fold to half-width, then case-fold letters.
        var folded = value - 0xFEE0
        if folded >= 0x41 && folded <= 0x5A { folded += 0x20 }
        builder.emit(folded, from: origin)
      case .changes:
        // Rare: compatibility forms and non-ASCII capitals. Foundation's NFKC, then lowercase.
        guard let scalar = Unicode.Scalar(value) else { continue }
        let mapped = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
        for mappedScalar in mapped.unicodeScalars where !isIgnorable(mappedScalar.value) {
          if UnicodeTable.kind(of: mappedScalar.value) == .whitespace {
            builder.space(at: origin)
          } else {
            builder.emit(mappedScalar.value, from: origin)
          }
        }
      }
    }
  }

  /// Writes normalised UTF-8 and its offset map into the arrays' storage. A struct with mutating methods rather
  /// than a nested function, whose captured variables would be boxed on the heap.
  private struct Builder {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<Int32>
    private(set) var count = 0
    private let capacity: Int
    /// Set when the text outgrew the storage; nothing more is written.
    private(set) var overflowed = false
    var pendingSpaceAt = -1
    var lastWasCJK = false
    var lastWasDigit = false

    /// `offsets` has room for `capacity + 1` entries: one per byte and the end.
    init(bytes: UnsafeMutablePointer<UInt8>, offsets: UnsafeMutablePointer<Int32>, capacity: Int) {
      self.bytes = bytes
      self.offsets = offsets
      self.capacity = capacity
    }

    /// Appends the end of the original to the offsets; returns how many offsets there are.
    mutating func finish(originalCount: Int) -> Int {
      offsets[count] = Int32(originalCount)
      return count + 1
    }

    mutating func space(at origin: Int) {
      if pendingSpaceAt < 0 { pendingSpaceAt = origin }
    }

    /// Whether there is room for `needed` more bytes; marks the builder overflowed when not.
    @inline(__always)
    private mutating func reserve(_ needed: Int) -> Bool {
      if count + needed > capacity { overflowed = true }
      return !overflowed
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8, _ origin: Int32) {
      bytes[count] = byte
      offsets[count] = origin
      count &+= 1
    }

    /// Appends a run of Han characters as they are (the fast path of `emit`): one copy for the bytes, and each
    /// character's three bytes map to its own offset.
    mutating func emitHanRun(_ run: UnsafeBufferPointer<UInt8>, from origin: Int) {
      guard reserve(run.count + 1) else { return }
      if pendingSpaceAt >= 0 {
        if count > 0, !lastWasCJK, !lastWasDigit { put(0x20, Int32(pendingSpaceAt)) }
        pendingSpaceAt = -1
      }
      (bytes + count).update(from: run.baseAddress!, count: run.count)
      var source = Int32(origin)
      var index = count
      let end = count + run.count
      while index < end {
        offsets[index] = source
        offsets[index + 1] = source
        offsets[index + 2] = source
        source &+= 3
        index &+= 3
      }
      count = end
      lastWasCJK = true
      lastWasDigit = false
    }

    /// Appends one scalar; a pending space goes first unless it sits between two CJK characters or between a CJK
    /// character and a digit.
    mutating func emit(_ value: UInt32, from origin: Int) {
      guard reserve(5) else { return }
      let isCJK = NormalizedText.isCJK(value)
      let isDigit = value >= 0x30 && value <= 0x39
      if pendingSpaceAt >= 0 {
        let joins = (lastWasCJK && (isCJK || isDigit)) || (lastWasDigit && isCJK)
        if count > 0, !joins { put(0x20, Int32(pendingSpaceAt)) }
        pendingSpaceAt = -1
      }
      let origin = Int32(origin)
      if value < 0x80 {
        put(UInt8(value), origin)
      } else if value < 0x800 {
        put(UInt8(0xC0 | (value >> 6)), origin)
        put(UInt8(0x80 | (value & 0x3F)), origin)
      } else if value < 0x10000 {
        put(UInt8(0xE0 | (value >> 12)), origin)
        put(UInt8(0x80 | ((value >> 6) & 0x3F)), origin)
        put(UInt8(0x80 | (value & 0x3F)), origin)
      } else {
        put(UInt8(0xF0 | (value >> 18)), origin)
        put(UInt8(0x80 | ((value >> 12) & 0x3F)), origin)
        put(UInt8(0x80 | ((value >> 6) & 0x3F)), origin)
        put(UInt8(0x80 | (value & 0x3F)), origin)
      }
      lastWasCJK = isCJK
      lastWasDigit = isDigit
    }
  }

  /// Whether a character of U+4E00–U+9FFF starts at `offset`: the CJK unified ideographs that hold nearly all Chinese
  /// text, which normalisation leaves as they are (lead byte E4 with a second byte from B8, or E5–E9).
  @inline(__always)
  private static func isCommonHan(_ utf8: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset + 3 <= utf8.count else { return false }
    let lead = utf8[offset]
    return (lead >= 0xE5 && lead <= 0xE9) || (lead == 0xE4 && utf8[offset + 1] >= 0xB8)
  }

  /// The normalised form of a term or pattern source, for building automata.
  public static func normalize(_ text: String) -> String {
    String(decoding: NormalizedText(text).bytes, as: UTF8.self)
  }

  /// The normalised text of `range` (a regular-expression group), for reading a number or code out of it.
  public func string(_ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
  }

  /// The original UTF-8 range behind normalised bytes `start..<end`.
  public func originalRange(_ start: Int, _ end: Int) -> Range<Int> {
    let from = Int(originalOffsets[start])
    // The end maps to the start of the next original character, unless the range runs to the end.
    let to = end < originalOffsets.count - 1 ? Int(originalOffsets[end]) : Int(originalOffsets[originalOffsets.count - 1])
    return from..<max(from, to)
  }

  /// Zero-width and format characters merchants use to split keywords: ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft
  /// hyphen, and the variation selectors.
  static func isIgnorable(_ value: UInt32) -> Bool {
    switch value {
    case 0x00AD, 0x200B...0x200F, 0x2060...0x2064, 0xFEFF, 0xFE00...0xFE0F: true
    default: false
    }
  }

  /// Han ideographs (with extensions and compatibility block) and kana: the characters between which a space is a
  /// dodge, not a word boundary.
  static func isCJK(_ value: UInt32) -> Bool {
    switch value {
    case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true
    default: false
    }
  }
}
