import Foundation

/// Reads a JSON array of listing objects element by element without loading the file.
///
/// A small byte scanner finds each top-level element's byte range, tracking strings, escapes and nesting, and the
/// line and column it starts on; only that element goes to JSONSerialization. Memory holds one 64 KB chunk plus the
/// largest element up to the record size limit: a larger element is scanned to its end without being kept and
/// reported as too large. An element that does not parse is reported and skipped and the next one is read; an
/// element whose brackets never close runs to the end of the file and is reported as cut off, keeping the records
/// before it.
final class JSONArrayFeed: FeedRecordSource {
  private enum State { case beforeArray, inArray, done }

  private let handle: FileHandle
  private let file: String
  private let maxRecordBytes: Int
  private var buffer: [UInt8] = []
  private var index = 0
  private var endOfInput = false
  private var state = State.beforeArray
  /// Position of the byte at `index`, in lines and scalars.
  private var line = 1
  private var column = 1
  private var atFileStart = true
  /// Why reading stopped early, if it did; added to the end-of-file issue.
  private var readError: String?

  init(handle: FileHandle, file: String, maxRecordBytes: Int) {
    self.handle = handle
    self.file = file
    self.maxRecordBytes = maxRecordBytes
  }

  func nextRecord() -> [FeedEvent]? {
    if state == .beforeArray {
      skip { $0 != UInt8(ascii: "[") }
      consume()
      state = .inArray
    }
    guard state == .inArray else { return nil }
    skip { FeedFormat.isJSONWhitespace($0) || $0 == UInt8(ascii: ",") }
    guard let first = peek() else {
      state = .done
      return [.issue(issue(line: line, "the JSON array is not closed: the file ends without `]` (truncated?)"))]
    }
    if first == UInt8(ascii: "]") {
      state = .done
      return nil
    }
    let (startLine, startColumn) = (line, column)
    var length = 0
    guard let element = readElement(length: &length) else {
      state = .done
      return [
        .issue(
          issue(
            line: startLine,
            "record is cut off: the file ends inside it (truncated?); the records before it were read — record skipped"
          ))
      ]
    }
    guard length <= maxRecordBytes else {
      return [.issue(FeedRecordLimit.issue(file: file, line: startLine, size: length, limit: maxRecordBytes))]
    }
    return JSONRecord.events(raw: element, file: file, line: startLine, column: startColumn)
  }

  private func issue(line: Int, _ message: String) -> InputIssue {
    var message = message
    if let error = readError { message += " (read error: \(error))" }
    return InputIssue(kind: .malformedRecord, file: file, line: line, message: message)
  }

  /// The bytes of the element at `index`, or nil when the file ends inside it. A container ends at its matching
  /// bracket; a bare value (a number, a string) at the next top-level `,`, `]` or whitespace. `length` is the
  /// element's size; past `maxRecordBytes` its bytes are counted but no longer kept.
  private func readElement(length: inout Int) -> [UInt8]? {
    var element: [UInt8] = []
    func keep(_ byte: UInt8) {
      length += 1
      if length <= maxRecordBytes { element.append(byte) }
    }
    var depth = 0
    var inString = false
    var escaped = false
    while let byte = peek() {
      if inString {
        consume()
        keep(byte)
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
          if depth == 0 { return element }
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        guard depth > 0 else { return element }
        depth -= 1
        if depth == 0 {
          consume()
          keep(byte)
          return element
        }
      case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
        if depth == 0 { return element }
      default:
        break
      }
      consume()
      keep(byte)
    }
    return nil
  }

  private func skip(while condition: (UInt8) -> Bool) {
    while let byte = peek(), condition(byte) { consume() }
  }

  private func peek() -> UInt8? {
    if index == buffer.count { refill() }
    return index < buffer.count ? buffer[index] : nil
  }

  /// Moves past the byte at `index`, keeping `line` and `column` right for the next one.
  private func consume() {
    guard let byte = peek() else { return }
    index += 1
    if byte == 0x0A {
      line += 1
      column = 1
    } else if let next = peek(), next & 0xC0 != 0x80 {
      column += 1
    }
  }

  private func refill() {
    guard !endOfInput else { return }
    buffer.removeAll(keepingCapacity: true)
    index = 0
    do {
      let chunk = try handle.read(upToCount: ByteLineReader.chunkSize) ?? Data()
      if chunk.isEmpty { endOfInput = true } else { buffer.append(contentsOf: chunk) }
    } catch {
      readError = String(describing: error)
      endOfInput = true
    }
    if atFileStart {
      atFileStart = false
      if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }
  }
}
