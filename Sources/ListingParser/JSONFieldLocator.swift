/// Finds where each field's value sits in a JSON record's text, so a finding in `title` can point at the character
/// in the feed file rather than at the record.
///
/// Keys are paths of object keys up to two levels (`title`, `seller.name`). A string value gets an anchor at its first
/// character and after every escape (`\"`, `\u4E2D`, a surrogate pair), because an escape is several columns in the
/// file but one character in the value; the escaped character itself still lands on its backslash. Other values get
/// one anchor at their first byte. JSON strings cannot hold a raw line break, so every anchor of a value is on the same
/// line.
enum JSONFieldLocator {
  /// `bytes` is the record's UTF-8 text; its first byte is at `line`:`column` (1-based, columns in scalars).
  static func locate(_ bytes: [UInt8], line: Int, column: Int) -> [String: [TextBlock.Anchor]] {
    var scanner = Scanner(bytes: bytes, line: line, column: column)
    return scanner.run()
  }

  private struct Frame {
    var isObject: Bool
    var key: String?
    var expectingKey: Bool
  }

  private struct Scanner {
    let bytes: [UInt8]
    var index = 0
    var line: Int
    /// Column of the byte at `index`; maintained by `advance()`.
    var column: Int
    var stack: [Frame] = []
    var found: [String: [TextBlock.Anchor]] = [:]

    init(bytes: [UInt8], line: Int, column: Int) {
      self.bytes = bytes
      self.line = line
      self.column = column
    }

    mutating func run() -> [String: [TextBlock.Anchor]] {
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          valueStartsHere()
          stack.append(Frame(isObject: bytes[index] == UInt8(ascii: "{"), key: nil, expectingKey: true))
          advance()
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if !stack.isEmpty { stack.removeLast() }
          advance()
        case UInt8(ascii: ":"):
          advance()
        case UInt8(ascii: ","):
          if !stack.isEmpty { stack[stack.count - 1].expectingKey = true }
          advance()
        case UInt8(ascii: "\""):
          if stack.last.map({ $0.isObject && $0.expectingKey }) ?? false {
            stack[stack.count - 1].key = scanKey()
            stack[stack.count - 1].expectingKey = false
          } else if let path = valuePath() {
            found[path] = scanString(anchored: true)
          } else {
            _ = scanString(anchored: false)
          }
        case 0x20, 0x09, 0x0D, 0x0A:
          advance()
        default:
          valueStartsHere()
          while index < bytes.count, !Self.endsLiteral(bytes[index]) { advance() }
        }
      }
      return found
    }

    /// Records a non-string value that starts here under its key path, if it has one.
    mutating func valueStartsHere() {
      guard let path = valuePath() else { return }
      found[path] = [anchorHere(textOffset: 0)]
    }

    /// The key path (`title`, `seller.name`) of a value starting here: every enclosing container is an object with
    /// its key read, at most two deep. Nil for anything else, whose anchors are then not worth collecting.
    func valuePath() -> String? {
      switch stack.count {
      case 1:
        guard stack[0].isObject else { return nil }
        return stack[0].key
      case 2:
        guard stack[0].isObject, stack[1].isObject, let outer = stack[0].key, let inner = stack[1].key else {
          return nil
        }
        return outer + "." + inner
      default: return nil
      }
    }

    func anchorHere(textOffset: Int) -> TextBlock.Anchor {
      TextBlock.Anchor(textOffset: textOffset, line: line, column: column)
    }

    /// Reads the key string that starts at `index` (on its quote), decoded, and leaves `index` after its closing quote.
    /// Only the bytes around escapes are copied, so a key without any is decoded straight from the record.
    mutating func scanKey() -> String {
      advance()
      var decoded: [UInt8] = []
      var copiedUpTo = index
      while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
        guard bytes[index] == UInt8(ascii: "\\") else {
          advance()
          continue
        }
        decoded += bytes[copiedUpTo..<index]
        decoded += decodeEscape()
        copiedUpTo = index
      }
      let rest = bytes[copiedUpTo..<index]
      advance()
      return decoded.isEmpty ? String(decoding: rest, as: UTF8.self) : String(decoding: decoded + rest, as: UTF8.self)
    }

    /// Moves past the value string that starts at `index` (on its quote) and returns its anchors, or none unless
    /// `anchored`. Counts the decoded length rather than keeping the text: anchors need only offsets into it.
    mutating func scanString(anchored: Bool) -> [TextBlock.Anchor] {
      advance()
      var length = 0
      var anchors = anchored ? [anchorHere(textOffset: 0)] : []
      while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
        guard bytes[index] == UInt8(ascii: "\\") else {
          length += 1
          advance()
          continue
        }
        length += decodeEscape().count
        if anchored { anchors.append(anchorHere(textOffset: length)) }
      }
      advance()
      return anchors
    }

    /// Decodes the escape at `index` (on its backslash) to UTF-8 and moves past it.
    mutating func decodeEscape() -> [UInt8] {
      advance()
      guard index < bytes.count else { return [] }
      let letter = bytes[index]
      advance()
      switch letter {
      case UInt8(ascii: "n"): return [0x0A]
      case UInt8(ascii: "t"): return [0x09]
      case UInt8(ascii: "r"): return [0x0D]
      case UInt8(ascii: "b"): return [0x08]
      case UInt8(ascii: "f"): return [0x0C]
      case UInt8(ascii: "u"):
        guard var unit = readHex4() else { return Array("\u{FFFD}".utf8) }
        if (0xD800..<0xDC00).contains(unit), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          advance()
          advance()
          if let low = readHex4(), (0xDC00..<0xE000).contains(low) {
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
          }
        }
        return Array(String(Unicode.Scalar(unit).map(Character.init) ?? "\u{FFFD}").utf8)
      default: return [letter]
      }
    }

    mutating func readHex4() -> UInt32? {
      guard index + 4 <= bytes.count,
        let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
      else { return nil }
      for _ in 0..<4 { advance() }
      return value
    }

    /// Moves to the next byte, keeping `line` and `column` (in scalars) right for it.
    mutating func advance() {
      guard index < bytes.count else { return }
      let byte = bytes[index]
      index += 1
      if byte == 0x0A {
        line += 1
        column = 1
      } else if index < bytes.count, bytes[index] & 0xC0 != 0x80 {
        column += 1
      }
    }

    static func endsLiteral(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0D, 0x0A: true
      default: false
      }
    }
  }
}
