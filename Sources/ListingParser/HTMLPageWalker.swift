import CLibXML2

/// Turns libxml2's SAX events for one page into text blocks, comments and JSON-LD offers, in one pass.
///
/// One walker per parse, used on the parsing thread only (it is reached through the parser's user-data pointer).
/// It keeps a stack of open elements with what their text is (title, body, price, 划线价, hidden), collects
/// inline text into the current block and ends the block at block-level elements and wherever the scope changes.
final class HTMLPageWalker {
  /// What the text directly inside an element is.
  private enum Role: UInt8 {
    case hidden, title, body, price, originalPrice
    /// Inside `<nav>`, unless marked as a price.
    case navigation
    /// Text the page carries but does not show (scope `hidden`).
    case invisible
  }

  private struct Frame {
    var kind: HTMLElementKind
    var role: Role
    /// Inside script, style, svg…: nothing below is text.
    var hiddenSubtree: Bool
    /// Inside template, noscript or an element marked hidden: text a shopper does not see.
    var invisible: Bool
    var price: PriceMarkup
    /// Source offset just past the last content seen inside the element.
    var contentEnd: Int
  }

  /// A comment waiting for the element it speaks about (the next element after it at its level or deeper).
  private struct CommentLink {
    var comment: Int
    var depth: Int
  }

  private let source: HTMLSourceScan
  private let file: String
  /// The page's lines, for locations now and for the blocks' anchors when a finding asks.
  private let lines: SourceLineMap
  /// The parser context, for libxml2's read position at each callback.
  var context: htmlParserCtxtPtr?

  // The state below is touched on every SAX event, and only ever by the one thread parsing the page (libxml2
  // calls back synchronously; no closure keeps `self`): the runtime's exclusivity checks on each access, nearly
  // 2 % of a run's instructions, would guard against nothing.
  @exclusivity(unchecked) private var frames: [Frame] = []
  @exclusivity(unchecked) private var builder = TextBlockBuilder()
  @exclusivity(unchecked) private var builderRole = Role.body
  @exclusivity(unchecked) private var blocks: [TextBlock] = []
  private var comments: [PageDocument.Comment] = []
  private var offers: [PageDocument.Offer] = []
  private var title: String?
  /// Comments that have not met their element yet.
  @exclusivity(unchecked) private var pendingComments: [CommentLink] = []
  /// Comments whose element is open, with that element's depth in `frames`.
  @exclusivity(unchecked) private var coveringComments: [CommentLink] = []
  /// Content of the JSON-LD script being read, and where the script tag and its content start.
  @exclusivity(unchecked) private var jsonLD: [UInt8]?
  private var jsonLDTagStart = 0
  private var jsonLDContentStart = 0

  /// `source` is the page `lines` holds.
  init(source: UnsafeBufferPointer<UInt8>, lines: SourceLineMap, file: String) {
    self.source = HTMLSourceScan(bytes: source)
    self.file = file
    self.lines = lines
    frames.reserveCapacity(64)
  }

  /// Ends the last block and returns what the page held.
  func finish() -> (blocks: [TextBlock], offers: [PageDocument.Offer], comments: [PageDocument.Comment], title: String?)
  {
    flush()
    let lastLine = lines.line(of: source.bytes.count)
    for link in coveringComments { comments[link.comment].coversThroughLine = lastLine }
    coveringComments = []
    return (blocks, offers, comments, title)
  }

  // MARK: SAX events

  func startElement(_ name: UnsafePointer<UInt8>, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
    let kind = HTMLElementKind(name: name)
    let offset = readPosition()
    let parent = frames.last
    var className: UnsafePointer<UInt8>?
    var id: UnsafePointer<UInt8>?
    var style: UnsafePointer<UInt8>?
    var special: UnsafePointer<UInt8>?
    var metaName: UnsafePointer<UInt8>?
    var hiddenAttribute = false
    var index = 0
    while let attribute = attributes?[index] {
      let value = attributes?[index + 1]
      index += 2
      if Self.equals(attribute, "class") {
        className = value
      } else if Self.equals(attribute, "id") {
        id = value
      } else if Self.equals(attribute, "style") {
        style = value
      } else if Self.equals(attribute, "hidden") {
        hiddenAttribute = true
      } else if kind.special == .img && Self.equals(attribute, "alt") {
        special = value
      } else if kind.special == .meta && Self.equals(attribute, "content") {
        special = value
      } else if kind.special == .meta && Self.equals(attribute, "name") {
        metaName = value
      } else if kind.special == .script && Self.equals(attribute, "type") {
        special = value
      }
    }
    var own = PriceMarkup.none
    if kind.special == .strikethrough {
      own = .original
    } else if className != nil || id != nil || style != nil {
      own = PriceMarkup.classify(className: className, id: id, style: style)
    }
    let price = PriceMarkup.nested(own, in: parent?.price ?? .none)
    let hiddenSubtree = (parent?.hiddenSubtree ?? false) || kind.hidesContent
    let invisible =
      (parent?.invisible ?? false) || kind.isInert || hiddenAttribute || style.map(Self.hidesElement) ?? false
    let role: Role
    if hiddenSubtree || kind.special == .head {
      role = .hidden
    } else if invisible {
      role = .invisible
    } else if kind.special == .title || parent?.role == .title {
      role = .title
    } else {
      let inNavigation = kind.special == .navigation || parent?.role == .navigation
      role = price == .original ? .originalPrice : price == .price ? .price : inNavigation ? .navigation : .body
    }
    if kind.breaksBlock || (role != .hidden && role != (parent?.role ?? .body)) { flush() }
    if kind.special == .cell, role == builderRole { builder.separateCell() }
    if !pendingComments.isEmpty && !isImplied(kind, name: name, at: offset) {
      for var link in pendingComments {
        link.depth = frames.count
        coveringComments.append(link)
      }
      pendingComments.removeAll()
    }
    frames.append(
      Frame(
        kind: kind, role: role, hiddenSubtree: hiddenSubtree, invisible: invisible, price: price, contentEnd: offset))

    switch kind.special {
    case .img where !hiddenSubtree && !invisible:
      if let special { attributeBlock(.imgAlt, value: special, attribute: "alt", tag: name, at: offset) }
    case .meta:
      if let special, let metaName, Self.equalsIgnoringCase(metaName, "description") {
        attributeBlock(.metaDescription, value: special, attribute: "content", tag: name, at: offset)
      }
    case .script:
      if let special, Self.isJSONLD(special) {
        jsonLD = []
        jsonLDTagStart = source.tagStart(before: offset, name: name) ?? offset
        jsonLDContentStart = offset + 1
      }
    default:
      break
    }
  }

  func endElement(_ name: UnsafePointer<UInt8>) {
    guard let frame = frames.popLast() else { return }
    let offset = readPosition()
    let parentRole = frames.last?.role ?? .body
    if frame.kind.breaksBlock || (frame.role != .hidden && frame.role != parentRole) { flush() }
    if frame.kind.special == .script, let json = jsonLD {
      jsonLD = nil
      readJSONLD(json)
    }
    let end = source.endsWithEndTag(at: offset, name: name) ? offset : frame.contentEnd
    let depth = frames.count
    if let last = coveringComments.last, last.depth >= depth {
      let line = lines.line(of: end - 1)
      while let link = coveringComments.last, link.depth >= depth {
        comments[link.comment].coversThroughLine = max(line, comments[link.comment].location.line)
        coveringComments.removeLast()
      }
    }
    pendingComments.removeAll { $0.depth > depth }
    if !frames.isEmpty { frames[frames.count - 1].contentEnd = max(frames[frames.count - 1].contentEnd, end) }
  }

  func characters(_ chunk: UnsafeBufferPointer<UInt8>) {
    let end = readPosition()
    guard !frames.isEmpty else {
      appendText(chunk, role: .body, endingAt: end)
      return
    }
    // Trailing whitespace is not content: an implicitly closed element ends at its last visible character.
    var trailingSpace = 0
    while trailingSpace < chunk.count, TextBlockBuilder.whitespaceLength(chunk, at: chunk.count - 1 - trailingSpace) == 1 {
      trailingSpace += 1
    }
    if trailingSpace < chunk.count { frames[frames.count - 1].contentEnd = end - trailingSpace }
    let role = frames[frames.count - 1].role
    if role != .hidden { appendText(chunk, role: role, endingAt: end) }
  }

  /// Script and style content. Only JSON-LD is kept.
  func cdataBlock(_ chunk: UnsafeBufferPointer<UInt8>) {
    guard jsonLD != nil else { return }
    if jsonLD!.isEmpty {
      let start = readPosition() - chunk.count
      if source.matches(chunk, at: start) { jsonLDContentStart = start }
    }
    jsonLD!.append(contentsOf: chunk)
  }

  /// Comments are kept wherever they are (in head, in hidden elements) and located in scope `body`: there is no
  /// comment scope, and suppressions speak about page text.
  func comment(_ text: UnsafePointer<UInt8>) {
    let end = readPosition()
    var length = 0
    while text[length] != 0 { length += 1 }
    let start = source.commentStart(endingAt: end, textLength: length)
    let content = String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)
    let location = self.location(start, scope: .body)
    comments.append(
      PageDocument.Comment(
        text: Self.trimmingWhitespace(content), location: location, coversThroughLine: location.line))
    pendingComments.append(CommentLink(comment: comments.count - 1, depth: frames.count))
    // What a comment says is page text no shopper sees: a licence kept in one is not displayed.
    let chunk = UnsafeBufferPointer(start: text, count: length)
    let contentStart = start + 4  // past "<!--"
    var commentBuilder = TextBlockBuilder()
    commentBuilder.append(
      chunk, from: source.matches(chunk, at: contentStart) ? .verbatim(contentStart) : .decoded(start), blockIndex: 0)
    if !commentBuilder.isEmpty {
      let (utf8, anchors) = commentBuilder.take()
      blocks.append(TextBlock(scope: .hidden, utf8: utf8, file: file, anchors: anchors, lines: lines))
    }
    if !frames.isEmpty { frames[frames.count - 1].contentEnd = end }
  }

  // MARK: Text

  private func appendText(_ chunk: UnsafeBufferPointer<UInt8>, role: Role, endingAt end: Int) {
    if role != builderRole {
      flush()
      builderRole = role
    }
    let origin = source.chunkSource(chunk, endingAt: end)
    builder.append(chunk, from: origin, blockIndex: blocks.count)
  }

  /// Ends the current block, placing it where its first character was read among the blocks already made (an
  /// alt text inside a paragraph is finished before the paragraph is).
  private func flush() {
    guard !builder.isEmpty else {
      builder.reset()
      return
    }
    let index = builder.blockIndex
    let (utf8, anchors) = builder.take()
    let block = TextBlock(scope: Self.scope(of: builderRole), utf8: utf8, file: file, anchors: anchors, lines: lines)
    if index < blocks.count { blocks.insert(block, at: index) } else { blocks.append(block) }
    if builderRole == .title && title == nil { title = block.text }
  }

  /// A block for an attribute value (alt text, meta description), located at the value in the start tag.
  private func attributeBlock(
    _ scope: Scope, value: UnsafePointer<UInt8>, attribute: StaticString, tag: UnsafePointer<UInt8>, at offset: Int
  ) {
    var length = 0
    while value[length] != 0 { length += 1 }
    let parsed = UnsafeBufferPointer(start: value, count: length)
    var attributeBuilder = TextBlockBuilder()
    let tagStart = source.tagStart(before: offset, name: tag)
    if let tagStart, let range = source.attributeValueRange(attribute, tagStart: tagStart) {
      let (text, pieces) = source.decodeAttribute(range)
      if text.elementsEqual(parsed) {
        text.withUnsafeBufferPointer { decoded in
          for (piece, origin) in pieces {
            attributeBuilder.append(UnsafeBufferPointer(rebasing: decoded[piece]), from: origin, blockIndex: 0)
          }
        }
      } else {
        attributeBuilder.append(parsed, from: .decoded(range.lowerBound), blockIndex: 0)
      }
    } else {
      attributeBuilder.append(parsed, from: .decoded(tagStart ?? offset), blockIndex: 0)
    }
    guard !attributeBuilder.isEmpty else { return }
    let (utf8, anchors) = attributeBuilder.take()
    blocks.append(TextBlock(scope: scope, utf8: utf8, file: file, anchors: anchors, lines: lines))
  }

  /// Products and offers from a JSON-LD script: an offer per schema.org offer, and `jsonld` blocks for product
  /// names and descriptions, located at the text in the script when it is written there unescaped.
  private func readJSONLD(_ json: [UInt8]) {
    let contents = JSONLDReader.read(json)
    let scriptLocation = location(jsonLDTagStart, scope: .jsonld)
    let contentRange = jsonLDContentStart..<min(jsonLDContentStart + json.count, source.bytes.count)
    for product in contents.products {
      for offer in product.offers {
        offers.append(
          PageDocument.Offer(
            name: product.name ?? offer.name, price: offer.price, currency: offer.currency, location: scriptLocation))
      }
      for text in [product.name, product.description].compactMap({ $0 }) {
        var textBuilder = TextBlockBuilder()
        let bytes = Array(text.utf8)
        let found = source.firstIndex(of: bytes, in: contentRange)
        bytes.withUnsafeBufferPointer { buffer in
          let origin: TextBlockBuilder.ChunkSource = found.map { .verbatim($0) } ?? .decoded(jsonLDTagStart)
          textBuilder.append(buffer, from: origin, blockIndex: 0)
        }
        guard !textBuilder.isEmpty else { continue }
        let (utf8, anchors) = textBuilder.take()
        blocks.append(TextBlock(scope: .jsonld, utf8: utf8, file: file, anchors: anchors, lines: lines))
      }
    }
    for offer in contents.offers {
      offers.append(
        PageDocument.Offer(name: offer.name, price: offer.price, currency: offer.currency, location: scriptLocation))
    }
  }

  // MARK: Positions

  private func readPosition() -> Int {
    guard let context else { return 0 }
    return max(0, clibxml2_input_offset(context))
  }

  private func location(_ offset: Int, scope: Scope) -> SourceLocation {
    let (line, column) = lines.position(of: offset)
    return SourceLocation(file: file, line: line, column: column, scope: scope)
  }

  /// True for an html, head or body element that libxml2 inserted without a tag in the source, which a comment
  /// before the first real element must not be taken to cover.
  private func isImplied(_ kind: HTMLElementKind, name: UnsafePointer<UInt8>, at offset: Int) -> Bool {
    switch kind.special {
    case .html, .head, .body: return source.tagStart(before: offset, name: name) == nil
    default: return false
    }
  }

  private static func scope(of role: Role) -> Scope {
    switch role {
    case .title: return .title
    case .price: return .price
    case .originalPrice: return .originalPrice
    case .navigation: return .navigation
    case .invisible: return .hidden
    case .body, .hidden: return .body
    }
  }

  /// Whether an inline style hides the element (`display:none`, `visibility:hidden`), spaces and case aside.
  private static func hidesElement(_ style: UnsafePointer<UInt8>) -> Bool {
    var compact: [UInt8] = []
    var index = 0
    while style[index] != 0 {
      let byte = style[index]
      if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
        compact.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
      }
      index += 1
    }
    let declarations = String(decoding: compact, as: UTF8.self)
    return declarations.contains("display:none") || declarations.contains("visibility:hidden")
  }

  private static func isJSONLD(_ type: UnsafePointer<UInt8>) -> Bool {
    String(cString: type).lowercased().contains("ld+json")
  }

  /// Compares a NUL-terminated lower-case attribute name with `name`.
  private static func equals(_ value: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
    let bytes = name.utf8Start
    for index in 0..<name.utf8CodeUnitCount where value[index] != bytes[index] { return false }
    return value[name.utf8CodeUnitCount] == 0
  }

  private static func equalsIgnoringCase(_ value: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
    trimmingWhitespace(String(cString: value)).lowercased() == "\(name)"
  }

  /// `text` without leading and trailing whitespace (ASCII, U+00A0, U+3000…).
  private static func trimmingWhitespace(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
