import CLibXML2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small scans over the page's UTF-8 bytes (the same bytes libxml2 parses) that recover what the SAX interface
/// leaves out: where a chunk of text, a tag, a comment or an attribute value starts.
///
/// libxml2 reports only its read position at each callback. Text copied straight from the source ends there; text
/// decoded from an entity, tags and comments need a short look back. Every scan is bounded and verifies what it
/// finds, so a surprise costs precision of a location, never a wrong byte of text.
struct HTMLSourceScan {
  let bytes: UnsafeBufferPointer<UInt8>

  /// How far back a tag's `<` is looked for: far enough for a long `style` or `data-` attribute.
  private static let tagLookBehind = 65_536

  /// True if `chunk` is found in the source at `offset`.
  func matches(_ chunk: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset >= 0, offset + chunk.count <= bytes.count, let base = bytes.baseAddress else { return false }
    guard let chunkBase = chunk.baseAddress else { return true }
    return memcmp(base + offset, chunkBase, chunk.count) == 0
  }

  /// Where the text of a `characters` callback starts, given libxml2's read position `end` at the callback.
  ///
  /// Plain text ends at `end`. A `<` that starts no tag is reported with the read position still on it. Text
  /// decoded from a reference (`&nbsp;`, `&#20013;`) maps to the reference's `&`.
  func chunkSource(_ chunk: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> TextBlockBuilder.ChunkSource {
    if matches(chunk, at: end - chunk.count) { return .verbatim(end - chunk.count) }
    if matches(chunk, at: end) { return .verbatim(end) }
    var index = min(end, bytes.count) - 1
    let limit = max(0, end - 40)
    while index >= limit {
      if bytes[index] == UInt8(ascii: "&") { return .decoded(index) }
      index -= 1
    }
    return .decoded(max(0, min(end - chunk.count, bytes.count)))
  }

  /// The offset of the `<` that opens the start tag `name`, looking back from `offset` (libxml2's read position
  /// at `startElement`, somewhere between the tag's attributes and its `>`). Nil for an element libxml2 implied.
  func tagStart(before offset: Int, name: UnsafePointer<UInt8>) -> Int? {
    var index = min(offset, bytes.count - 1)
    let limit = max(0, offset - Self.tagLookBehind)
    while index >= limit {
      if bytes[index] == UInt8(ascii: "<") {
        let nameEnd = matchName(name, at: index + 1)
        if let nameEnd, nameEnd == bytes.count || isTagNameEnd(bytes[nameEnd]) { return index }
      }
      index -= 1
    }
    return nil
  }

  /// True if the source just before `offset` is the end tag `</name>`: libxml2 also reports elements it closed
  /// implicitly, and those end where their content ends, not at the read position.
  func endsWithEndTag(at offset: Int, name: UnsafePointer<UInt8>) -> Bool {
    var index = offset - 1
    guard index >= 0, index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return false }
    index -= 1
    while index >= 0, isSpace(bytes[index]) { index -= 1 }
    var nameLength = 0
    while name[nameLength] != 0 { nameLength += 1 }
    let nameStart = index - nameLength + 1
    guard nameStart >= 2, matchName(name, at: nameStart) == index + 1 else { return false }
    return bytes[nameStart - 1] == UInt8(ascii: "/") && bytes[nameStart - 2] == UInt8(ascii: "<")
  }

  /// The offset of `<!--` for a comment whose text has `length` bytes and whose `-->` ends at `end`.
  func commentStart(endingAt end: Int, textLength length: Int) -> Int {
    let expected = end - 3 - length - 4
    if isCommentOpening(at: expected) { return expected }
    var index = min(end - length - 4, bytes.count - 4)
    let limit = max(0, index - 16)
    while index >= limit {
      if isCommentOpening(at: index) { return index }
      index -= 1
    }
    return max(0, expected)
  }

  /// The source range of the value of `attribute` in the start tag that opens at `tagStart` (without quotes).
  func attributeValueRange(_ attribute: StaticString, tagStart: Int) -> Range<Int>? {
    let count = bytes.count
    var index = tagStart + 1
    while index < count, !isTagNameEnd(bytes[index]) { index += 1 }
    while index < count {
      while index < count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
      guard index < count, bytes[index] != UInt8(ascii: ">") else { return nil }
      let nameStart = index
      while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ">"),
        bytes[index] != UInt8(ascii: "/")
      {
        index += 1
      }
      let nameRange = nameStart..<index
      while index < count, isSpace(bytes[index]) { index += 1 }
      var valueRange = index..<index
      if index < count, bytes[index] == UInt8(ascii: "=") {
        index += 1
        while index < count, isSpace(bytes[index]) { index += 1 }
        if index < count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
          let quote = bytes[index]
          let valueStart = index + 1
          index = valueStart
          while index < count, bytes[index] != quote { index += 1 }
          valueRange = valueStart..<index
          index += 1
        } else {
          let valueStart = index
          while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
          valueRange = valueStart..<index
        }
      }
      if nameRange.count == attribute.utf8CodeUnitCount, equalsIgnoringCase(nameRange, attribute) {
        return valueRange
      }
      if nameRange.isEmpty { index += 1 }
    }
    return nil
  }

  /// Decodes character references in an attribute value the way libxml2's HTML parser does, returning the text
  /// and, for each piece of it, where it came from: runs copied from the source and one piece per reference.
  func decodeAttribute(_ range: Range<Int>) -> (text: [UInt8], pieces: [(Range<Int>, TextBlockBuilder.ChunkSource)]) {
    var text: [UInt8] = []
    var pieces: [(Range<Int>, TextBlockBuilder.ChunkSource)] = []
    var runStart = range.lowerBound
    var index = range.lowerBound
    func endRun(at end: Int) {
      guard runStart < end else { return }
      let textStart = text.count
      text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
      pieces.append((textStart..<text.count, .verbatim(runStart)))
    }
    while index < range.upperBound {
      guard bytes[index] == UInt8(ascii: "&"), let (scalar, next) = reference(at: index, limit: range.upperBound) else {
        index += 1
        continue
      }
      endRun(at: index)
      let textStart = text.count
      text.append(contentsOf: scalar.utf8)
      pieces.append((textStart..<text.count, .decoded(index)))
      index = next
      runStart = next
    }
    endRun(at: range.upperBound)
    return (text, pieces)
  }

  /// The first occurrence of `needle` in `range`.
  func firstIndex(of needle: [UInt8], in range: Range<Int>) -> Int? {
    needle.withUnsafeBufferPointer { bytes.firstIndex(of: $0, in: range) }
  }

  /// A numeric reference (`&#20013;`, `&#x4E2D;`, the `;` optional as libxml2 allows) or a named HTML 4 entity
  /// with its `;`: the scalar and the offset after the reference.
  private func reference(at ampersand: Int, limit: Int) -> (Unicode.Scalar, Int)? {
    var index = ampersand + 1
    guard index < limit else { return nil }
    if bytes[index] == UInt8(ascii: "#") {
      index += 1
      var radix: UInt32 = 10
      if index < limit, bytes[index] | 0x20 == UInt8(ascii: "x") {
        radix = 16
        index += 1
      }
      var value: UInt32 = 0
      let digitsStart = index
      while index < limit, let digit = digitValue(bytes[index], radix: radix), value <= 0x10FFFF {
        value = value * radix + digit
        index += 1
      }
      guard index > digitsStart else { return nil }
      if index < limit, bytes[index] == UInt8(ascii: ";") { index += 1 }
      return (Unicode.Scalar(value) ?? "\u{FFFD}", index)
    }
    let nameStart = index
    while index < limit, index - nameStart < 32, isAlphanumeric(bytes[index]) { index += 1 }
    guard index > nameStart, index < limit, bytes[index] == UInt8(ascii: ";") else { return nil }
    var name = Array(UnsafeBufferPointer(rebasing: bytes[nameStart..<index]))
    name.append(0)
    guard let entity = htmlEntityLookup(name), let scalar = Unicode.Scalar(entity.pointee.value) else { return nil }
    return (scalar, index + 1)
  }

  private func isCommentOpening(at offset: Int) -> Bool {
    offset >= 0 && offset + 4 <= bytes.count && bytes[offset] == UInt8(ascii: "<")
      && bytes[offset + 1] == UInt8(ascii: "!") && bytes[offset + 2] == UInt8(ascii: "-")
      && bytes[offset + 3] == UInt8(ascii: "-")
  }

  /// Compares the lower-case NUL-terminated `name` with the source at `offset`, ignoring case; the offset after
  /// the name if it matches.
  private func matchName(_ name: UnsafePointer<UInt8>, at offset: Int) -> Int? {
    var index = 0
    while name[index] != 0 {
      guard offset + index < bytes.count, lowercased(bytes[offset + index]) == name[index] else { return nil }
      index += 1
    }
    return offset + index
  }

  private func equalsIgnoringCase(_ range: Range<Int>, _ name: StaticString) -> Bool {
    let nameBytes = name.utf8Start
    for (position, index) in range.enumerated() where lowercased(bytes[index]) != nameBytes[position] { return false }
    return true
  }

  private func isTagNameEnd(_ byte: UInt8) -> Bool {
    isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
  }

  private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }

  private func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
  }

  private func digitValue(_ byte: UInt8, radix: UInt32) -> UInt32? {
    if byte >= 0x30 && byte <= 0x39 { return UInt32(byte - 0x30) }
    let lower = byte | 0x20
    if radix == 16 && lower >= 0x61 && lower <= 0x66 { return UInt32(lower - 0x61 + 10) }
    return nil
  }

  private func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
}
