import Foundation

/// One JSON record (an NDJSON line or a JSON array element) from raw bytes to feed events; shared by both JSON
/// readers so they report the same problems the same way.
enum JSONRecord {
  /// `raw` are the record's bytes as in the file (hashed as they are); its first byte is at `line`:`column`.
  ///
  /// JSON feeds should be UTF-8. Bytes that are not are read as GB18030 (what Chinese tools write when they do not
  /// write UTF-8), record by record, so one bad record does not spoil the file; an `encoding` issue is reported only
  /// when even GB18030 cannot decode some bytes (they become U+FFFD and the record is still read).
  static func events(raw: [UInt8], file: String, line: Int, column: Int) -> [FeedEvent] {
    let source = SourceLocation(file: file, line: line, column: 1, scope: .feedRecord)
    var events: [FeedEvent] = []
    var utf8 = raw
    if !CharsetDecoder.isValidUTF8(raw) {
      let decoded = CharsetDecoder.decode(raw)
      utf8 = decoded.utf8
      if decoded.invalidSequences > 0 {
        events.append(
          .issue(
            InputIssue(
              kind: .encoding, file: file, line: line,
              message: "record has \(decoded.invalidSequences) byte sequence(s) that are neither UTF-8 nor GB18030; "
                + "they were replaced by U+FFFD — save the feed as UTF-8")))
      }
    }
    guard let object = parse(utf8) else {
      let issue = ListingRecordDecoder.malformed(
        source: source, message: "is not valid JSON (\(snippet(utf8))); fix the syntax")
      return events + [.issue(issue)]
    }
    guard let fields = object as? [String: Any] else {
      return events + [.issue(ListingRecordDecoder.notAnObject(object, source: source))]
    }
    let (decoded, issues) = ListingRecordDecoder.decode(object: fields, source: source, recordBytes: raw)
    events += issues.map(FeedEvent.issue)
    if var listing = decoded {
      listing.fieldAnchors = JSONFieldLocator.locate(utf8, line: line, column: column)
      // The array the caller already holds: no copy.
      listing.rawRecord = RawRecord(bytes: raw, column: column)
      events.append(.listing(listing))
    }
    return events
  }

  /// The record's JSON value, as JSONSerialization reads it (`JSONRecordParser`). That rejects a whole record for one
  /// number beyond Double (`1e309`), which would drop every other field with it; such numbers are read again as
  /// strings of their digits, so the decoder reports the one field as out of range and reads the rest.
  private static func parse(_ utf8: [UInt8]) -> Any? {
    if let object = JSONRecordParser.parse(utf8) { return object }
    guard let quoted = quotingInfiniteNumbers(utf8) else { return nil }
    return JSONRecordParser.parse(quoted)
  }

  /// `utf8` with every number outside strings that overflows a Double put in quotes, or nil when there is none.
  static func quotingInfiniteNumbers(_ utf8: [UInt8]) -> [UInt8]? {
    var output: [UInt8] = []
    output.reserveCapacity(utf8.count + 8)
    var changed = false
    var inString = false
    var escaped = false
    var index = 0
    while index < utf8.count {
      let byte = utf8[index]
      if inString {
        if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == 0x22 {
          inString = false
        }
      } else if byte == 0x22 {
        inString = true
      } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
        var end = index
        while end < utf8.count, "0123456789+-.eE".utf8.contains(utf8[end]) { end += 1 }
        let token = utf8[index..<end]
        if let value = Double(String(decoding: token, as: UTF8.self)), !value.isFinite {
          output += [0x22] + token + [0x22]
          changed = true
        } else {
          output += token
        }
        index = end
        continue
      }
      output.append(byte)
      index += 1
    }
    return changed ? output : nil
  }

  /// The start of the record, enough to find it in an editor.
  static func snippet(_ utf8: [UInt8]) -> String {
    let text = String(decoding: utf8, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.count > 60 ? "starts \(text.prefix(60))…" : text
  }
}
