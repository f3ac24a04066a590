import CLibXML2

/// Runs libxml2's HTML parser over UTF-8 bytes and hands its SAX events to an `HTMLPageWalker`.
///
/// SAX rather than `htmlReadMemory` because building and freeing the tree costs about a third of the parse
/// (../shared/notes/libxml2-and-sqlite.md). The pull parser (`htmlParseDocument`) rather than the push parser:
/// on the real pages the push parser dropped a trailing comment and reported other read positions for implied
/// end tags. Each call owns its parser context, so calls on different threads share nothing.
enum HTMLSAXParser {
  /// Recover from broken markup, stay quiet, never fetch anything, and never switch encoding on `<meta charset>`:
  /// the bytes are UTF-8 already, whatever the page declares.
  private static let options = Int32(
    bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
      | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

  static func parse(_ utf8: UnsafeBufferPointer<UInt8>, into walker: HTMLPageWalker) {
    guard let base = utf8.baseAddress, utf8.count > 0, utf8.count <= Int(Int32.max) else { return }
    clibxml2_silence_errors()
    let created = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
      htmlCreateMemoryParserCtxt($0, Int32(utf8.count))
    }
    guard let context = created else { return }
    defer { htmlFreeParserCtxt(context) }
    context.pointee.sax.pointee = handler()
    context.pointee.userData = Unmanaged.passUnretained(walker).toOpaque()
    _ = htmlCtxtUseOptions(context, options)
    // Declared UTF-8, so libxml2 never guesses another encoding from a byte it does not expect. Declared by name,
    // not with the UTF-8 conversion handler: a handler makes libxml2 copy the whole page through a UTF-8 → UTF-8
    // "conversion" before parsing it.
    _ = xmlSwitchEncoding(context, XML_CHAR_ENCODING_UTF8)
    walker.context = context
    withExtendedLifetime(walker) { _ = htmlParseDocument(context) }
    walker.context = nil
  }

  /// The callbacks. Script and style content arrives through `cdataBlock`, never through `characters`.
  private static func handler() -> htmlSAXHandler {
    var handler = htmlSAXHandler()
    handler.startElement = { user, name, attributes in
      guard let user, let name else { return }
      walker(user).startElement(name, attributes)
    }
    handler.endElement = { user, name in
      guard let user, let name else { return }
      walker(user).endElement(name)
    }
    handler.characters = { user, text, length in
      guard let user, let text, length > 0 else { return }
      walker(user).characters(UnsafeBufferPointer(start: text, count: Int(length)))
    }
    handler.ignorableWhitespace = handler.characters
    handler.cdataBlock = { user, text, length in
      guard let user, let text, length > 0 else { return }
      walker(user).cdataBlock(UnsafeBufferPointer(start: text, count: Int(length)))
    }
    handler.comment = { user, text in
      guard let user, let text else { return }
      walker(user).comment(text)
    }
    return handler
  }
}

/// The walker behind the parser's user-data pointer. A free function: a C callback may not capture anything,
/// not even the type it is declared in.
@inline(__always)
private func walker(_ user: UnsafeMutableRawPointer) -> HTMLPageWalker {
  Unmanaged<HTMLPageWalker>.fromOpaque(user).takeUnretainedValue()
}
