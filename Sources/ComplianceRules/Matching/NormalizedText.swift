import Foundation

/// Text as the rules match it, with a map back to the original.
///
/// Merchants dodge keyword filters with full-width letters (ＳＣ), spaced-out characters (`概 不 退 换`), zero-width
/// characters and compatibility forms (①, ㎏). Matching runs on a normalised copy — NFKC, full-width → half-width,
/// zero-width removed, case folded, whitespace collapsed and dropped between two CJK characters — and every
/// normalised byte remembers the original UTF-8 offset it came from, so a finding still quotes and locates the
/// merchant's own text.
public struct NormalizedText: Sendable {
  /// The normalised text as UTF-8.
  public let bytes: [UInt8]
  /// `originalOffsets[i]` is the UTF-8 offset in the original text of the character that produced normalised byte
  /// `i`; one extra entry maps `bytes.count` to the original end.
  public let originalOffsets: [Int32]

  public init(_ original: String) {
    var bytes: [UInt8] = []
    var offsets: [Int32] = []
    bytes.reserveCapacity(original.utf8.count)
    offsets.reserveCapacity(original.utf8.count + 1)
    var offset = 0
    var pendingSpaceAt: Int? = nil
    var lastWasCJK = false
    var wroteAny = false

    func emit(_ scalar: Unicode.Scalar, from origin: Int) {
      let isCJK = NormalizedText.isCJK(scalar)
      if let spaceOrigin = pendingSpaceAt, wroteAny, !(lastWasCJK && isCJK) {
        bytes.append(0x20)
        offsets.append(Int32(spaceOrigin))
      }
      pendingSpaceAt = nil
      let value = scalar.value
      let origin32 = Int32(origin)
      // UTF-8 encoding written out: this runs once per character of every page.
      if value < 0x80 {
        bytes.append(UInt8(value))
        offsets.append(origin32)
      } else if value < 0x800 {
        bytes.append(UInt8(0xC0 | (value >> 6)))
        bytes.append(UInt8(0x80 | (value & 0x3F)))
        offsets.append(origin32)
        offsets.append(origin32)
      } else if value < 0x10000 {
        bytes.append(UInt8(0xE0 | (value >> 12)))
        bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (value & 0x3F)))
        offsets.append(origin32)
        offsets.append(origin32)
        offsets.append(origin32)
      } else {
        bytes.append(UInt8(0xF0 | (value >> 18)))
        bytes.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
        bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        bytes.append(UInt8(0x80 | (value & 0x3F)))
        for _ in 0..<4 { offsets.append(origin32) }
      }
      lastWasCJK = isCJK
      wroteAny = true
    }

    for scalar in original.unicodeScalars {
      let origin = offset
      offset += UTF8.width(scalar)
      let value = scalar.value
      if value < 0x80 {
        if value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0x0C {
          if pendingSpaceAt == nil { pendingSpaceAt = origin }
        } else if value >= 0x41 && value <= 0x5A {
          emit(Unicode.Scalar(value + 0x20)!, from: origin)
        } else {
          emit(scalar, from: origin)
        }
        continue
      }
      if NormalizedText.isCJK(scalar) {
        emit(scalar, from: origin)
        continue
      }
      if NormalizedText.isIgnorable(value) { continue }
      let kind = UnicodeTable.kind(of: value)
      if kind == .whitespace {
        if pendingSpaceAt == nil { pendingSpaceAt = origin }
        continue
      }
      if value >= 0xFF01 && value <= 0xFF5E {
        // Full-width ASCII: fold to half-width, then case-fold letters.
        var folded = value - 0xFEE0
        if folded >= 0x41 && folded <= 0x5A { folded += 0x20 }
        emit(Unicode.Scalar(folded)!, from: origin)
        continue
      }
      if kind == .unchanged {
        emit(scalar, from: origin)
        continue
      }
      // Rare: compatibility forms and non-ASCII capitals. Foundation's NFKC, then lowercase.
      let mapped = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
      for mappedScalar in mapped.unicodeScalars where !NormalizedText.isIgnorable(mappedScalar.value) {
        if mappedScalar.properties.isWhitespace {
          if pendingSpaceAt == nil { pendingSpaceAt = origin }
        } else {
          emit(mappedScalar, from: origin)
        }
      }
    }
    offsets.append(Int32(offset))
    self.bytes = bytes
    self.originalOffsets = offsets
  }

  /// The normalised form of a term or pattern source, for building automata.
  public static func normalize(_ text: String) -> String {
    String(decoding: NormalizedText(text).bytes, as: UTF8.self)
  }

  /// The normalised text as a String (for regular expressions).
  public var string: String { String(decoding: bytes, as: UTF8.self) }

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
  static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true
    default: false
    }
  }
}
