import CLibXML2
import Foundation

/// Turns libxml2's SAX events for one page into text blocks, JSON-LD offers and comments.
///
/// Positions come from the parser's input cursor: when a text chunk arrives the cursor sits just after it, so its
/// start is the cursor minus its length (checked against the source bytes; entity text falls back to the `&`).
/// Byte offsets become lines and columns through `SourcePositions`.
final class PageWalker {
  /// What an element does to the text inside it.
  private struct Frame {
    var name: String
    var scope: Scope?
    var skips: Bool
    var breaksBlock: Bool
    var isJSONLD: Bool
    /// Comments waiting for this element to end, to learn the last line they speak about.
    var coveringComments: [Int] = []
  }

  let source: [UInt8]
  let file: String
  private let positions: SourcePositions
  private var context: htmlParserCtxtPtr?

  private(set) var blocks: [TextBlock] = []
  private(set) var offers: [PageDocument.Offer] = []
  private(set) var comments: [PageDocument.Comment] = []
  private(set) var title: String?

  private var stack: [Frame] = []
  private var skipDepth = 0
  private var inHead = false
  private var text: [UInt8] = []
  private var anchors: [TextBlock.Anchor] = []
  private var blockScope: Scope = .body
  private var pendingSpace = false
  private var needsAnchor = true
  private var jsonLD: [UInt8] = []
  private var jsonLDStart = 0
  /// Comments seen at the current depth whose next sibling element has not started yet: (comment index, depth).
  private var awaitingElement: [(comment: Int, depth: Int)] = []

  init(source: [UInt8], file: String, lineOffset: Int, firstLineColumnOffset: Int) {
    self.source = source
    self.file = file
    positions = SourcePositions(source, lineOffset: lineOffset, firstLineColumnOffset: firstLineColumnOffset)
  }

  /// Parses the whole source, calling back into this walker.
  func run(options: Int32) {
    source.withUnsafeBufferPointer { buffer in
      buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { bytes in
        guard let parser = htmlCreateMemoryParserCtxt(bytes, Int32(buffer.count)) else { return }
        context = parser
        defer {
          if let document = parser.pointee.myDoc { xmlFreeDoc(document) }
          htmlFreeParserCtxt(parser)
          context = nil
        }
        htmlCtxtUseOptions(parser, options)
        xmlSwitchEncoding(parser, XML_CHAR_ENCODING_UTF8)
        // The context owns its SAX handler; overwrite it in place with ours (no tree is built).
        parser.pointee.sax.pointee = PageWalker.makeHandler()
        parser.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
        _ = htmlParseDocument(parser)
      }
    }
    endBlock()
    for comment in awaitingElement.map(\.comment) { comments[comment].coversThroughLine = comments[comment].location.line }
  }

  // MARK: Position

  /// Byte offset of the parser's cursor in `source`.
  private var cursor: Int {
    guard let input = context?.pointee.input, let cur = input.pointee.cur, let base = input.pointee.base else { return 0 }
    return min(source.count, Int(input.pointee.consumed) + (cur - base))
  }

  /// Where a chunk of `length` bytes that ends at the cursor starts in the source, and whether it is verbatim.
  private func chunkStart(_ chunk: UnsafePointer<xmlChar>, _ length: Int) -> (Int, verbatim: Bool) {
    let end = cursor
    let start = end - length
    if start >= 0, length > 0, memcmp(chunk, source.withUnsafeBufferPointer { $0.baseAddress! + start }, length) == 0 {
      return (start, true)
    }
    // Entity text (`&amp;`): the reference starts at the last `&` before the cursor.
    var index = end - 1
    while index >= max(0, end - 32) {
      if source[index] == UInt8(ascii: "&") { return (index, false) }
      index -= 1
    }
    return (max(0, start), false)
  }

  /// The offset of the `<` that opened the tag the cursor has just passed.
  private func tagStart() -> Int {
    var index = min(cursor, source.count) - 1
    while index > 0, source[index] != UInt8(ascii: "<") { index -= 1 }
    return max(0, index)
  }

  // MARK: Blocks

  private func endBlock() {
    pendingSpace = false
    needsAnchor = true
    guard !text.isEmpty else { return }
    let block = TextBlock(scope: blockScope, text: String(decoding: text, as: UTF8.self), file: file, anchors: anchors)
    if blockScope == .title, title == nil { title = block.text }
    blocks.append(block)
    text.removeAll(keepingCapacity: true)
    anchors.removeAll(keepingCapacity: true)
  }

  private var currentScope: Scope {
    for frame in stack.reversed() { if let scope = frame.scope { return scope } }
    return .body
  }

  /// Appends visible text, collapsing whitespace (ASCII, NBSP, ideographic space) and anchoring each run.
  private func appendText(_ chunk: UnsafePointer<xmlChar>, _ length: Int) {
    let scope = currentScope
    if scope != blockScope {
      endBlock()
      blockScope = scope
    }
    let (start, verbatim) = chunkStart(chunk, length)
    // The loop works on locals: touching the object's stored properties once per byte costs an exclusivity check
    // each time, which measured a tenth of a run.
    var text = self.text
    var anchors = self.anchors
    var pendingSpace = self.pendingSpace
    var needsAnchor = self.needsAnchor
    self.text = []
    self.anchors = []
    var index = 0
    while index < length {
      let byte = chunk[index]
      var width = 0
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
        width = 1
      } else if byte == 0xC2, index + 1 < length, chunk[index + 1] == 0xA0 {
        width = 2
      } else if byte == 0xE3, index + 2 < length, chunk[index + 1] == 0x80, chunk[index + 2] == 0x80 {
        width = 3
      }
      if width > 0 {
        if !text.isEmpty { pendingSpace = true }
        needsAnchor = true
        index += width
        continue
      }
      if pendingSpace {
        text.append(0x20)
        pendingSpace = false
      }
      if needsAnchor {
        let position = positions.position(of: verbatim ? start + index : start)
        anchors.append(TextBlock.Anchor(textOffset: text.count, line: position.line, column: position.column))
        needsAnchor = false
      }
      text.append(byte)
      index += 1
    }
    if !verbatim { needsAnchor = true }
    self.text = text
    self.anchors = anchors
    self.pendingSpace = pendingSpace
    self.needsAnchor = needsAnchor
  }

  /// A block of its own for an attribute's text (img alt, meta description), located at the attribute's value.
  private func attributeBlock(_ scope: Scope, _ value: String, attribute: String) {
    let collapsed = value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    guard !collapsed.isEmpty else { return }
    let start = tagStart()
    var offset = start
    if let range = source[start..<min(cursor, source.count)].firstRange(of: Array(attribute.utf8)) {
      var index = range.upperBound
      while index < source.count, source[index] == UInt8(ascii: "=") || source[index] == UInt8(ascii: " ") || source[index] == UInt8(ascii: "\"") || source[index] == UInt8(ascii: "'") {
        index += 1
      }
      offset = index
    }
    let position = positions.position(of: offset)
    blocks.append(TextBlock(scope: scope, text: collapsed, file: file, line: position.line, column: position.column))
  }

  // MARK: Events

  /// The attributes the walk uses; everything else is never turned into a Swift string.
  fileprivate struct Attributes {
    var `class` = ""
    var id = ""
    var type = ""
    var alt: String?
    var name = ""
    var property = ""
    var content: String?
  }

  fileprivate func startElement(_ name: String, _ attributes: Attributes) {
    // A comment waiting at this depth speaks about this element.
    var covering: [Int] = []
    awaitingElement.removeAll { entry in
      if entry.depth == stack.count {
        covering.append(entry.comment)
        return true
      }
      return false
    }
    let isJSONLD = name == "script" && attributes.type.lowercased().hasSuffix("ld+json")
    let isCell = Self.cells.contains(name)
    var frame = Frame(
      name: name, scope: nil, skips: Self.skipped.contains(name) || (inHead && name != "title"),
      breaksBlock: !Self.inline.contains(name) && !isCell, isJSONLD: isJSONLD, coveringComments: covering)
    // A label cell and its value read as one block, "注册号 | 320583000412682". The bar keeps the cells apart
    // after normalisation, which drops a plain space between two Chinese characters.
    if isCell, !text.isEmpty {
      text.append(contentsOf: Array(" | ".utf8))
      pendingSpace = false
      needsAnchor = true
    }
    if name == "head" { inHead = true }
    if name == "body" { inHead = false }
    if name == "title" { frame.scope = .title; frame.skips = false; frame.breaksBlock = true }
    if !frame.skips, skipDepth == 0, frame.scope == nil {
      let marker = Array((attributes.class + " " + attributes.id).lowercased().utf8)
      let isPrice = marker.count > 1 && marker.contains(subsequence: Self.priceMarker)
      let isOriginal = marker.count > 1 && Self.originalPriceMarkers.contains { marker.contains(subsequence: $0) }
      if Self.struckThrough.contains(name) || (isPrice && isOriginal) {
        frame.scope = .originalPrice
        frame.breaksBlock = true
      } else if isPrice {
        frame.scope = .price
        frame.breaksBlock = true
      } else if isOriginal && stack.contains(where: { $0.scope == .price }) {
        frame.scope = .originalPrice
        frame.breaksBlock = true
      }
    }
    if frame.breaksBlock && skipDepth == 0 { endBlock() }
    if isJSONLD {
      jsonLD.removeAll(keepingCapacity: true)
      jsonLDStart = tagStart()
    }
    if frame.skips { skipDepth += 1 }
    stack.append(frame)
    if skipDepth == 0 {
      if name == "img", let alt = attributes.alt { attributeBlock(.imgAlt, alt, attribute: "alt") }
    }
    if name == "meta", (attributes.name + attributes.property).lowercased().hasSuffix("description"),
      let content = attributes.content
    {
      attributeBlock(.metaDescription, content, attribute: "content")
    }
  }

  fileprivate func endElement(_ name: String) {
    guard let index = stack.lastIndex(where: { $0.name == name }) else { return }
    // libxml2 reports implied ends too; unwind everything opened inside this element.
    while stack.count > index {
      let frame = stack.removeLast()
      if frame.isJSONLD { finishJSONLD() }
      if frame.skips { skipDepth -= 1 }
      if frame.breaksBlock && skipDepth == 0 { endBlock() }
      if frame.scope != nil && skipDepth == 0 { endBlock() }
      if frame.name == "head" { inHead = false }
      let line = positions.position(of: cursor).line
      for comment in frame.coveringComments { comments[comment].coversThroughLine = line }
      awaitingElement.removeAll { $0.depth > stack.count }
    }
  }

  fileprivate func characters(_ chunk: UnsafePointer<xmlChar>, _ length: Int) {
    if let frame = stack.last, frame.isJSONLD {
      jsonLD.append(contentsOf: UnsafeBufferPointer(start: chunk, count: length))
      return
    }
    guard skipDepth == 0, length > 0 else { return }
    appendText(chunk, length)
  }

  fileprivate func comment(_ value: String) {
    let end = cursor
    var start = max(0, end - 1)
    while start > 0, !(source[start] == UInt8(ascii: "<") && start + 3 < source.count && source[start + 1] == UInt8(ascii: "!")) {
      start -= 1
    }
    let position = positions.position(of: start)
    let location = SourceLocation(file: file, line: position.line, column: position.column, scope: .body)
    comments.append(
      PageDocument.Comment(
        text: value.trimmingCharacters(in: .whitespacesAndNewlines), location: location, coversThroughLine: position.line))
    awaitingElement.append((comments.count - 1, stack.count))
  }

  private func finishJSONLD() {
    let position = positions.position(of: jsonLDStart)
    let location = SourceLocation(file: file, line: position.line, column: position.column, scope: .jsonld)
    let found = JSONLDOffers.offers(in: jsonLD, location: location)
    offers += found.offers
    for name in found.names {
      blocks.append(TextBlock(scope: .jsonld, text: name, file: file, line: position.line, column: position.column))
    }
    jsonLD.removeAll()
  }

  // MARK: Element classes

  /// Elements whose content is never shown.
  static let skipped: Set<String> = ["script", "style", "noscript", "template", "iframe", "object", "svg", "textarea", "select"]
  /// Elements that do not break the text flow: `概<b>不</b>退换` reads 概不退换.
  static let inline: Set<String> = [
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "label", "mark", "q",
    "rp", "rt", "ruby", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "ins", "nobr",
    "img",
  ]
  /// Table cells and definition terms: joined to their row or list with " | ", so a label and its value share a
  /// block (`<th>注册号</th><td>3205…</td>`, `<dt>生产许可证</dt><dd>SC…</dd>`). Their row (`tr`, `dl`) ends the block.
  static let cells: Set<String> = ["td", "th", "dt", "dd"]
  /// Struck-through text: the 划线价.
  static let struckThrough: Set<String> = ["del", "s", "strike"]
  static let originalPriceMarkers = ["original", "origin", "old", "market", "del", "line-through", "orig", "strike"].map {
    Array($0.utf8)
  }
  static let priceMarker = Array("price".utf8)

  // MARK: SAX handler

  /// Our callbacks; every other SAX event is left empty, so libxml2 builds no tree.
  static func makeHandler() -> htmlSAXHandler {
    var handler = htmlSAXHandler()
    handler.startElement = { context, name, attributes in
      guard let context, let name else { return }
      let walker = Unmanaged<PageWalker>.fromOpaque(context).takeUnretainedValue()
      var values = Attributes()
      if var pointer = attributes {
        while let key = pointer.pointee {
          if let value = pointer.advanced(by: 1).pointee {
            // libxml2's HTML parser lower-cases attribute names.
            switch (key[0], key[1]) {
            case (UInt8(ascii: "c"), UInt8(ascii: "l")) where PageWalker.named(key, "class"): values.class = String(cString: value)
            case (UInt8(ascii: "i"), UInt8(ascii: "d")) where key[2] == 0: values.id = String(cString: value)
            case (UInt8(ascii: "t"), UInt8(ascii: "y")) where PageWalker.named(key, "type"): values.type = String(cString: value)
            case (UInt8(ascii: "a"), UInt8(ascii: "l")) where PageWalker.named(key, "alt"): values.alt = String(cString: value)
            case (UInt8(ascii: "n"), UInt8(ascii: "a")) where PageWalker.named(key, "name"): values.name = String(cString: value)
            case (UInt8(ascii: "p"), UInt8(ascii: "r")) where PageWalker.named(key, "property"): values.property = String(cString: value)
            case (UInt8(ascii: "c"), UInt8(ascii: "o")) where PageWalker.named(key, "content"): values.content = String(cString: value)
            default: break
            }
          }
          pointer = pointer.advanced(by: 2)
        }
      }
      walker.startElement(String(cString: name), values)
    }
    handler.endElement = { context, name in
      guard let context, let name else { return }
      Unmanaged<PageWalker>.fromOpaque(context).takeUnretainedValue().endElement(String(cString: name))
    }
    handler.characters = { context, chunk, length in
      guard let context, let chunk else { return }
      Unmanaged<PageWalker>.fromOpaque(context).takeUnretainedValue().characters(chunk, Int(length))
    }
    handler.ignorableWhitespace = handler.characters
    handler.cdataBlock = handler.characters
    handler.comment = { context, value in
      guard let context, let value else { return }
      Unmanaged<PageWalker>.fromOpaque(context).takeUnretainedValue().comment(String(cString: value))
    }
    return handler
  }
}

extension PageWalker {
  /// Whether a libxml2 name is `name`.
  static func named(_ key: UnsafePointer<xmlChar>, _ name: String) -> Bool {
    strcmp(UnsafeRawPointer(key).assumingMemoryBound(to: CChar.self), name) == 0
  }
}

extension Array where Element == UInt8 {
  /// Whether `needle` occurs in the bytes (class names are short; a plain scan is fastest).
  func contains(subsequence needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, needle.count <= count else { return false }
    for start in 0...(count - needle.count) where self[start] == needle[0] {
      if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
  }
}
