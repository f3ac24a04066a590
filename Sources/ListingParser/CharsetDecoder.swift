#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Chooses the encoding of page and feed bytes and turns them into UTF-8.
///
/// Valid UTF-8 is UTF-8; anything else is read as GB18030, the superset of GBK and GB2312 that Chinese pages
/// actually use. `<meta charset>` is never trusted: real pages declare gbk over UTF-8 bytes and utf-8 over GBK bytes
/// (see Tests/Fixtures/real/SOURCES.md), and libxml2 following the declaration truncated or garbled 6 of 14 real pages.
package enum CharsetDecoder {
  public struct Decoded: Sendable {
    /// The text as UTF-8 bytes.
    public var utf8: [UInt8]
    /// "UTF-8" or "GB18030".
    public var encoding: String
    /// Byte sequences that were not valid in `encoding` and were replaced by U+FFFD.
    public var invalidSequences: Int
  }

  /// Decodes `bytes`, dropping a UTF-8 byte-order mark. Never fails: undecodable bytes become U+FFFD and are counted.
  public static func decode(_ bytes: [UInt8]) -> Decoded {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    if isValidUTF8(body) {
      return Decoded(utf8: body, encoding: "UTF-8", invalidSequences: 0)
    }
    let (utf8, invalid) = gb18030ToUTF8(body)
    return Decoded(utf8: utf8, encoding: "GB18030", invalidSequences: invalid)
  }

  /// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), without building a String.
  public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      var index = 0
      let count = buffer.count
      let raw = UnsafeRawBufferPointer(buffer)
      while index < count {
        // Eight ASCII bytes at a time: markup is mostly ASCII.
        if index + 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
          index += 8
          continue
        }
        // Runs of three-byte characters (all of common Chinese): E1–EC or EE–EF, then two continuation bytes. E0 and
        // ED, which restrict their second byte, go the long way below. Four characters at a time while they last,
        // then one at a time.
        var run = index
        while run + 12 <= count, Self.areFourCommonThreeByteCharacters(raw, at: run) { run += 12 }
        while run + 4 <= count {
          let word = raw.loadUnaligned(fromByteOffset: run, as: UInt32.self).littleEndian
          let leadBits = word & 0x0F
          guard word & 0x00C0_C0F0 == 0x0080_80E0, leadBits != 0x0, leadBits != 0xD else { break }
          run += 3
        }
        if run > index {
          index = run
          continue
        }
        let lead = buffer[index]
        if lead < 0x80 {
          index += 1
          continue
        }
        // Most Chinese characters (U+1000–U+CFFF): any two continuation bytes are valid.
        if lead >= 0xE1, lead <= 0xEC, index + 3 <= count {
          guard buffer[index + 1] & 0xC0 == 0x80, buffer[index + 2] & 0xC0 == 0x80 else { return false }
          index += 3
          continue
        }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return false
        }
        guard index + length <= count, (low...high).contains(buffer[index + 1]) else { return false }
        for offset in 2..<max(2, length) where buffer[index + offset] & 0xC0 != 0x80 { return false }
        index += length
      }
      return true
    }
  }

  /// Whether the twelve bytes at `offset` are four characters of three bytes with leads E1–EC or EE–EF. The byte
  /// pattern is tested with two masks; each lead's low nibble must be neither 0 (E0) nor D (ED): adding 0x0F to a
  /// nibble carries into bit 4 unless it is 0, which tests all the leads of a word at once.
  @inline(__always)
  private static func areFourCommonThreeByteCharacters(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    let low = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    let high = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
    guard low & 0xC0F0_C0C0_F0C0_C0F0 == 0x80E0_8080_E080_80E0, high & 0xC0C0_F0C0 == 0x8080_E080 else { return false }
    let lowNibbles: UInt64 = 0x000F_0000_0F00_000F
    let lowCarries: UInt64 = 0x0010_0000_1000_0010
    let leads = low & lowNibbles
    let notD = leads ^ 0x000D_0000_0D00_000D
    guard (leads &+ lowNibbles) & lowCarries == lowCarries, (notD &+ lowNibbles) & lowCarries == lowCarries else {
      return false
    }
    let lastLead = high & 0x0000_0F00
    return lastLead != 0 && lastLead != 0x0000_0D00
  }

  /// GB18030 → UTF-8 through the C library's iconv. An invalid byte becomes U+FFFD and decoding goes on.
  static func gb18030ToUTF8(_ input: [UInt8]) -> ([UInt8], Int) {
    let converter = iconv_open("UTF-8", "GB18030")
    guard converter != iconv_t(bitPattern: -1) else {
      return (Array(String(decoding: input, as: UTF8.self).utf8), input.isEmpty ? 0 : 1)
    }
    defer { iconv_close(converter) }
    var output = [UInt8](repeating: 0, count: input.count * 3 + 16)
    var invalid = 0
    var written = 0
    var consumed = 0
    input.withUnsafeBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        let inBase = UnsafeMutableRawPointer(mutating: inBuffer.baseAddress)
        let outBase = UnsafeMutableRawPointer(outBuffer.baseAddress!)
        while consumed < input.count {
          var inPointer: UnsafeMutablePointer<CChar>? = inBase.map {
            ($0 + consumed).assumingMemoryBound(to: CChar.self)
          }
          var inLeft = input.count - consumed
          var outPointer: UnsafeMutablePointer<CChar>? = (outBase + written).assumingMemoryBound(to: CChar.self)
          var outLeft = outBuffer.count - written
          let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
          consumed = input.count - inLeft
          written = outBuffer.count - outLeft
          if result != -1 { break }
          // EILSEQ or EINVAL (a truncated sequence at the end): replace one byte and carry on. Output space
          // cannot run out: neither a GB18030 character nor a replacement needs more than 3 UTF-8 bytes per input byte.
          invalid += 1
          consumed += 1
          for byte: UInt8 in [0xEF, 0xBF, 0xBD] where written < outBuffer.count {
            outBuffer[written] = byte
            written += 1
          }
        }
      }
    }
    output.removeSubrange(written...)
    return (output, invalid)
  }
}
