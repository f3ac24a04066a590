import CLibXML2

/// Reads a detail page, or HTML carried in a feed field, into a `PageDocument`: the visible text as blocks with
/// exact source locations, the title, meta description, alt texts, prices, JSON-LD offers and comments.
///
/// The encoding is sniffed by `CharsetDecoder` (UTF-8 if valid, else GB18030) and libxml2 only ever sees UTF-8,
/// never following `<meta charset>`, which real pages get wrong. Byte offsets in that UTF-8 give lines and columns;
/// newlines are the same bytes in GB18030, so lines match the file on disk. Safe to use from several threads at
/// once: every parse owns its parser context and state.
public struct HTMLReader: Sendable {
  /// The default page size limit, 16 MiB (`--max-page-bytes`).
  public static let defaultMaxPageBytes = PageFile.defaultMaxBytes

  public init() {}

  /// libxml2's global set-up, done once however many threads call it.
  private static let libraryInitialized: Void = xmlInitParser()

  /// Call once on the main thread before any parsing thread starts (xmlInitParser). Parsing also does it, but
  /// libxml2's own lazy set-up is not safe to race.
  public static func initializeLibrary() {
    _ = libraryInitialized
  }

  /// Parse a page file from disk. Failure = an InputIssue (missing_file, unreadable_file, binary_file, encoding),
  /// never a crash. `displayPath` is the path to put in locations/issues; `listingID` goes into the issue.
  ///
  /// A page with many undecodable bytes fails with an `encoding` issue only when no readable text is left;
  /// otherwise it succeeds and carries the issue in `PageDocument.issues`.
  public func read(path: String, displayPath: String, listingID: String?) -> Result<PageDocument, InputIssue> {
    load(path: path, displayPath: displayPath, listingID: listingID).flatMap {
      document(from: $0, displayPath: displayPath, listingID: listingID)
    }
  }

  /// The page file's bytes, or why there are none. Split from parsing so that an incremental run can hash a page
  /// and skip it unparsed.
  ///
  /// With `folder` (the feed's folder), a page whose path leads outside it through a symbolic link is an
  /// `unsafe_path` issue and is not read. A page above `maxBytes` is a `too_large` issue, refused by its size.
  public func load(
    path: String, displayPath: String, listingID: String?, confinedTo folder: String? = nil,
    maxBytes: Int = defaultMaxPageBytes
  ) -> Result<[UInt8], InputIssue> {
    PageFile.load(path, confinedTo: folder, maxBytes: maxBytes).mapError {
      InputIssue(kind: $0.kind, file: displayPath, line: 0, listingID: listingID, message: $0.message)
    }
  }

  /// Parses loaded page bytes, as `read` does. `contentHash`, when the caller has already hashed the bytes, saves
  /// hashing them again.
  public func document(
    from bytes: [UInt8], displayPath: String, listingID: String?, contentHash: String? = nil
  ) -> Result<PageDocument, InputIssue> {
    var document = parse(bytes: bytes, file: displayPath, contentHash: contentHash)
    for index in document.issues.indices { document.issues[index].listingID = listingID }
    if let issue = document.issues.first(where: { $0.kind == .encoding }), !Self.hasReadableText(document) {
      return .failure(issue)
    }
    return .success(document)
  }

  /// Parse bytes already in memory (the page bytes or HTML carried in a feed field).
  /// `lineOffset`/`firstLineColumnOffset` shift reported positions, for HTML embedded in a feed record line.
  public func parse(bytes: [UInt8], file: String, lineOffset: Int = 0, firstLineColumnOffset: Int = 0) -> PageDocument {
    parse(bytes: bytes, file: file, lineOffset: lineOffset, firstLineColumnOffset: firstLineColumnOffset, contentHash: nil)
  }

  private func parse(
    bytes: [UInt8], file: String, lineOffset: Int = 0, firstLineColumnOffset: Int = 0, contentHash: String?
  ) -> PageDocument {
    Self.initializeLibrary()
    let decoded = CharsetDecoder.decode(bytes)
    let lines = SourceLineMap(decoded.utf8, lineOffset: lineOffset, firstLineColumnOffset: firstLineColumnOffset)
    let walker = decoded.utf8.withUnsafeBufferPointer { utf8 in
      let walker = HTMLPageWalker(source: utf8, lines: lines, file: file)
      HTMLSAXParser.parse(utf8, into: walker)
      return walker
    }
    let found = walker.finish()
    var document = PageDocument(
      file: file, encoding: decoded.encoding, blocks: found.blocks, offers: found.offers, comments: found.comments,
      title: found.title, byteCount: bytes.count, contentHash: contentHash ?? ContentHash.hex(bytes))
    if decoded.invalidSequences * 100 > bytes.count {
      document.issues.append(
        InputIssue(
          kind: .encoding, file: file, line: lineOffset > 0 ? lineOffset + 1 : 0,
          message: "\(decoded.invalidSequences) of \(bytes.count) bytes are neither UTF-8 nor GB18030; "
            + "they read as U+FFFD"))
    }
    return document
  }

  public func parse(html: String, file: String, lineOffset: Int = 0, firstLineColumnOffset: Int = 0) -> PageDocument {
    parse(bytes: Array(html.utf8), file: file, lineOffset: lineOffset, firstLineColumnOffset: firstLineColumnOffset)
  }

  /// True if some block holds a letter or digit that is not a replacement character.
  private static func hasReadableText(_ document: PageDocument) -> Bool {
    document.blocks.contains { block in
      block.text.unicodeScalars.contains { scalar in
        scalar != "\u{FFFD}" && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
      }
    }
  }
}
