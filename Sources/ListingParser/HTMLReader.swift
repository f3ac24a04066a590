import CLibXML2
import Foundation

/// Reads a detail page (or HTML carried in a feed field) into text blocks with exact source positions.
///
/// The bytes are decoded by us (`CharsetDecoder`: valid UTF-8, else GB18030) and libxml2 is handed UTF-8 with
/// `HTML_PARSE_IGNORE_ENC`, so a lying `<meta charset>` cannot garble the page. Parsing is SAX (one pass, no tree:
/// ~1.5× faster than building and freeing a DOM); `PageWalker` turns the events into blocks. Each call owns its
/// parser context, so any number of threads may parse at once after `initializeLibrary()`.
public struct HTMLReader: Sendable {
  public init() {}

  /// libxml2's global set-up. Call once, on the main thread, before parsing threads start; later calls do nothing.
  public static func initializeLibrary() { _ = libraryInitialized }
  private static let libraryInitialized: Bool = {
    xmlInitParser()
    return true
  }()

  static let options = Int32(
    HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
      | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

  /// Reads a page file. Problems with the file itself (missing, empty, binary, neither UTF-8 nor GB18030) are an
  /// `InputIssue`, never a crash.
  public func read(path: String, displayPath: String, listingID: String?) -> Result<PageDocument, InputIssue> {
    func issue(_ kind: InputIssue.Kind, _ message: String) -> Result<PageDocument, InputIssue> {
      .failure(InputIssue(kind: kind, file: displayPath, line: 0, listingID: listingID, message: message))
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return issue(.missingFile, "detail page \(displayPath) does not exist")
    }
    if isDirectory.boolValue { return issue(.unreadableFile, "detail page \(displayPath) is a folder, not a file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      return issue(.unreadableFile, "detail page \(displayPath) cannot be read (permissions?)")
    }
    let bytes = [UInt8](data)
    if bytes.isEmpty { return issue(.unreadableFile, "detail page \(displayPath) is empty") }
    if Self.looksBinary(bytes) { return issue(.binaryFile, "detail page \(displayPath) is binary, not HTML") }
    let decoded = CharsetDecoder.decode(bytes)
    if decoded.invalidSequences > max(16, bytes.count / 50) {
      return issue(
        .encoding,
        "detail page \(displayPath) is neither UTF-8 nor GB18030 (\(decoded.invalidSequences) undecodable byte sequences); save it as UTF-8")
    }
    return .success(parse(decoded: decoded, originalBytes: bytes, file: displayPath, lineOffset: 0, firstLineColumnOffset: 0))
  }

  /// Parses page bytes already in memory. `lineOffset` and `firstLineColumnOffset` shift positions for HTML that
  /// starts inside another file (a feed record's `description`).
  public func parse(bytes: [UInt8], file: String, lineOffset: Int = 0, firstLineColumnOffset: Int = 0) -> PageDocument {
    parse(
      decoded: CharsetDecoder.decode(bytes), originalBytes: bytes, file: file, lineOffset: lineOffset,
      firstLineColumnOffset: firstLineColumnOffset)
  }

  public func parse(html: String, file: String, lineOffset: Int = 0, firstLineColumnOffset: Int = 0) -> PageDocument {
    parse(bytes: Array(html.utf8), file: file, lineOffset: lineOffset, firstLineColumnOffset: firstLineColumnOffset)
  }

  private func parse(
    decoded: CharsetDecoder.Decoded, originalBytes: [UInt8], file: String, lineOffset: Int, firstLineColumnOffset: Int
  ) -> PageDocument {
    // libxml2 folds CR LF to LF as it reads, which would shift every later byte offset; folding first keeps
    // offsets exact and lines unchanged.
    let utf8 = Self.foldingCarriageReturns(decoded.utf8)
    let walker = PageWalker(
      source: utf8, file: file, lineOffset: lineOffset, firstLineColumnOffset: firstLineColumnOffset)
    if !utf8.isEmpty {
      clibxml2_silence_errors()
      walker.run(options: Self.options)
    }
    return PageDocument(
      file: file, encoding: decoded.encoding, blocks: walker.blocks, offers: walker.offers, comments: walker.comments,
      title: walker.title, byteCount: originalBytes.count, contentHash: ContentHash.hex(originalBytes))
  }

  /// NUL bytes or many control characters in the first 4 KB: an image, an archive, UTF-16.
  static func looksBinary(_ bytes: [UInt8]) -> Bool {
    let head = bytes.prefix(4096)
    if head.contains(0) { return true }
    let control = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C && $0 != 0x1B }
    return control.count * 10 > head.count
  }

  static func foldingCarriageReturns(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.contains(0x0D) else { return bytes }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0D {
        out.append(0x0A)
        if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
      } else {
        out.append(byte)
      }
      index += 1
    }
    return out
  }
}
