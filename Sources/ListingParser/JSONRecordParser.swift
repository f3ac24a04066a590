import Foundation

/// Parses one feed record's UTF-8 bytes into the values `JSONSerialization.jsonObject(with:options:
/// .fragmentsAllowed)` gives for them — `String`, `NSNumber` (booleans too), `NSNull`, `[Any]`, `[String: Any]` —
/// and fails exactly where it throws, at about a tenth of its cost: a feed record is read once per listing, and
/// JSONSerialization spent ~112k instructions on each.
///
/// What Foundation's parser accepts is followed to the letter, not RFC 8259: a trailing comma in an array or object,
/// any value at the top level, at most 512 nested containers, the last of duplicate keys. Numbers become the NSNumber
/// JSONSerialization would make (UInt64 for non-negative integers, Int64 for negative ones, Double otherwise); a
/// number it makes differently (more than 17 characters: Decimal, or beyond Int64) is handed to JSONSerialization
/// itself, so the result is the same by construction. A record that opens with a byte order mark or a NUL byte, which
/// JSONSerialization reads as UTF-16 or UTF-32, goes to JSONSerialization whole. `JSONRecordParserTests` fuzzes the
/// two against each other.
///
/// The bytes must be valid UTF-8 (`JSONRecord` decodes anything else first).
enum JSONRecordParser {
  static func parse(_ utf8: [UInt8]) -> Any? {
    if opensWithEncodingMark(utf8) {
      return try? JSONSerialization.jsonObject(with: Data(utf8), options: [.fragmentsAllowed])
    }
    return utf8.withUnsafeBufferPointer { buffer in
      var parser = Parser(bytes: buffer)
      guard let value = parser.value(depth: 0) else { return nil }
      parser.skipWhitespace()
      return parser.index == buffer.count ? value : nil
    }
  }

  /// Foundation guesses UTF-16 or UTF-32 from NUL bytes among the first four, and skips a byte order mark.
  private static func opensWithEncodingMark(_ utf8: [UInt8]) -> Bool {
    utf8.prefix(4).contains(0) || utf8.starts(with: [0xEF, 0xBB, 0xBF]) || utf8.first.map { $0 >= 0xFE } == true
  }

  /// JSONSerialization's nesting limit: the 513th nested array or object is an error.
  static let maximumDepth = 512

  private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Unescaped string bytes, reused from string to string.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipWhitespace() {
      while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    mutating func value(depth: Int) -> Any? {
      skipWhitespace()
      guard index < bytes.count else { return nil }
      switch bytes[index] {
      case UInt8(ascii: "\""): return string()
      case UInt8(ascii: "{"): return object(depth: depth)
      case UInt8(ascii: "["): return array(depth: depth)
      case UInt8(ascii: "t"): return literal("true") ? NSNumber(value: true) : nil
      case UInt8(ascii: "f"): return literal("false") ? NSNumber(value: false) : nil
      case UInt8(ascii: "n"): return literal("null") ? NSNull() : nil
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
      default: return nil
      }
    }

    mutating func literal(_ word: StaticString) -> Bool {
      let count = word.utf8CodeUnitCount
      guard index + count <= bytes.count else { return false }
      let start = word.utf8Start
      for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
      index += count
      return true
    }

    mutating func object(depth: Int) -> Any? {
      guard depth < maximumDepth else { return nil }
      index += 1
      var object: [String: Any] = [:]
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return object
      }
      while true {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        guard let value = value(depth: depth + 1) else { return nil }
        object[key] = value
        guard let ended = endsContainer(closing: UInt8(ascii: "}")) else { return nil }
        if ended { return object }
      }
    }

    /// After one element of a container: true when `closing` ends it (a trailing comma before it is accepted, as
    /// Foundation accepts it), false when a comma leads to another element, nil on anything else.
    mutating func endsContainer(closing: UInt8) -> Bool? {
      skipWhitespace()
      guard index < bytes.count else { return nil }
      switch bytes[index] {
      case closing:
        index += 1
        return true
      case UInt8(ascii: ","):
        index += 1
        skipWhitespace()
        guard index < bytes.count, bytes[index] == closing else { return false }
        index += 1
        return true
      default: return nil
      }
    }

    mutating func array(depth: Int) -> Any? {
      guard depth < maximumDepth else { return nil }
      index += 1
      var array: [Any] = []
      skipWhitespace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return array
      }
      while true {
        guard let value = value(depth: depth + 1) else { return nil }
        array.append(value)
        guard let ended = endsContainer(closing: UInt8(ascii: "]")) else { return nil }
        if ended { return array }
      }
    }

    /// The string whose opening quote is at `index`; `index` ends after its closing quote. Runs without escapes are
    /// decoded straight from the record.
    mutating func string() -> String? {
      index += 1
      var runStart = index
      scratch.removeAll(keepingCapacity: true)
      var escaped = false
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\"") {
          let run = self.run(from: runStart)
          index += 1
          guard escaped else { return String(decoding: run, as: UTF8.self) }
          scratch.append(contentsOf: run)
          return String(decoding: scratch, as: UTF8.self)
        }
        if byte < 0x20 { return nil }
        if byte == UInt8(ascii: "\\") {
          scratch.append(contentsOf: run(from: runStart))
          escaped = true
          guard unescape() else { return nil }
          runStart = index
          continue
        }
        index += 1
      }
      return nil
    }

    /// The unescaped bytes from `start` to `index`. Foundation decodes each such run on its own, and drops a byte order
    /// mark (U+FEFF) that opens one: so does this.
    func run(from start: Int) -> UnsafeBufferPointer<UInt8> {
      var start = start
      if index - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { start += 3 }
      return UnsafeBufferPointer(rebasing: bytes[start..<index])
    }

    /// Appends the character the escape at `index` (its backslash) stands for to `scratch` and moves past it.
    mutating func unescape() -> Bool {
      guard index + 1 < bytes.count else { return false }
      let letter = bytes[index + 1]
      index += 2
      let simple: UInt8
      switch letter {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = letter
      case UInt8(ascii: "b"): simple = 0x08
      case UInt8(ascii: "f"): simple = 0x0C
      case UInt8(ascii: "n"): simple = 0x0A
      case UInt8(ascii: "r"): simple = 0x0D
      case UInt8(ascii: "t"): simple = 0x09
      case UInt8(ascii: "u"):
        guard let unit = hex4() else { return false }
        var value = UInt32(unit)
        // A high surrogate must be followed by an escaped low one; a lone low surrogate is no scalar.
        if unit & 0xFC00 == 0xD800 {
          guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
          else { return false }
          index += 2
          guard let low = hex4(), low & 0xFC00 == 0xDC00 else { return false }
          value = 0x10000 + (UInt32(unit) - 0xD800) * 0x400 + (UInt32(low) - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { return false }
        scratch.append(contentsOf: UTF8.encode(scalar)!)
        return true
      default: return false
      }
      scratch.append(simple)
      return true
    }

    mutating func hex4() -> UInt16? {
      guard index + 4 <= bytes.count else { return nil }
      var value: UInt16 = 0
      for offset in 0..<4 {
        let byte = bytes[index + offset]
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        default: return nil
        }
        value = value << 4 | UInt16(digit)
      }
      index += 4
      return value
    }

    /// Where a number may be: sign, integer part, fraction, exponent.
    private enum NumberPart { case integer, fraction, exponent, exponentSign }

    /// The number at `index`, by Foundation's grammar: no leading zeros, digits on both sides of the point, and it
    /// must end at whitespace, `,`, `]`, `}` or the end of the record.
    mutating func number() -> Any? {
      let start = index
      var part = NumberPart.integer
      var digits = bytes[index] == UInt8(ascii: "-") ? 0 : 1
      var leadingZero = bytes[index] == UInt8(ascii: "0")
      var isInteger = true
      index += 1
      scan: while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
          if leadingZero { return nil }
          if byte == UInt8(ascii: "0"), digits == 0, part == .integer { leadingZero = true }
          digits += 1
        case UInt8(ascii: "."):
          guard digits > 0, part == .integer else { return nil }
          part = .fraction
          leadingZero = false
          digits = 0
          isInteger = false
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
          guard digits > 0, part == .integer || part == .fraction else { return nil }
          part = .exponent
          leadingZero = false
          digits = 0
          isInteger = false
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
          guard digits == 0, part == .exponent else { return nil }
          part = .exponentSign
        case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
          break scan
        default: return nil
        }
        index += 1
      }
      guard digits > 0 else { return nil }
      return Self.number(UnsafeBufferPointer(rebasing: bytes[start..<index]), isInteger: isInteger)
    }

    /// The NSNumber JSONSerialization makes of a valid number token. Up to 17 characters an integer fits Int64 and
    /// anything else is read as a Double; longer tokens (Decimal, UInt64, out of range) are left to it.
    static func number(_ token: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> Any? {
      guard token.count <= 17 else {
        return try? JSONSerialization.jsonObject(with: Data(token), options: [.fragmentsAllowed])
      }
      if isInteger {
        var magnitude: UInt64 = 0
        for byte in token where byte != UInt8(ascii: "-") { magnitude = magnitude * 10 + UInt64(byte - 0x30) }
        return token[0] == UInt8(ascii: "-")
          ? NSNumber(value: -Int64(magnitude)) : NSNumber(value: magnitude)
      }
      guard let double = Double(String(decoding: token, as: UTF8.self)), double.isFinite else { return nil }
      return NSNumber(value: double)
    }
  }
}
