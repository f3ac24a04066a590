/// What the text reader needs to know about an HTML element: does it break the text into a new block, does it
/// hide its content, and is it one of the few elements read specially.
///
/// Elements not listed are inline, which is also how browsers lay out unknown elements: text split by them joins
/// (`概<b>不</b>退换` reads `概不退换`).
struct HTMLElementKind: Equatable {
  enum Special: UInt8 {
    case none, html, head, body, title, meta, img, script, strikethrough
    /// A table cell or definition term: joins its row with a separator instead of starting a block.
    case cell
    /// `<nav>`: a site or shop menu, whose link texts are not offers.
    case navigation
  }

  var breaksBlock: Bool
  /// Content that is not text at all (script, style, svg…): it is dropped.
  var hidesContent: Bool
  /// Markup whose text the page carries but a shopper does not see (`<template>`, `<noscript>`): read into scope
  /// `hidden`.
  var isInert = false
  var special: Special

  static let inline = HTMLElementKind(breaksBlock: false, hidesContent: false, special: .none)
  private static let block = HTMLElementKind(breaksBlock: true, hidesContent: false, special: .none)
  private static let hidden = HTMLElementKind(breaksBlock: false, hidesContent: true, special: .none)
  private static let inert: HTMLElementKind = {
    var kind = HTMLElementKind(breaksBlock: true, hidesContent: false, special: .none)
    kind.isInert = true
    return kind
  }()

  /// `name` is as libxml2's HTML parser reports it: lower case, NUL-terminated.
  init(name: UnsafePointer<UInt8>) {
    var key: UInt64 = 0
    var length = 0
    while name[length] != 0 {
      if length == 8 {
        self = Self.longNames[String(cString: name)] ?? .inline
        return
      }
      key |= UInt64(name[length]) << (8 * UInt64(length))
      length += 1
    }
    self = Self.shortNames[key] ?? .inline
  }

  private init(breaksBlock: Bool, hidesContent: Bool, special: Special) {
    self.breaksBlock = breaksBlock
    self.hidesContent = hidesContent
    self.special = special
  }

  private static let blockNames = [
    "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "ul", "ol", "dl",
    "table", "thead", "tbody", "tfoot", "caption", "col", "colgroup", "section", "article", "header", "footer",
    "aside", "form", "fieldset", "legend", "select", "optgroup", "option", "button", "textarea", "blockquote", "pre",
    "figure", "figcaption", "main", "center", "address", "details", "summary", "dialog", "menu", "dir", "frameset",
    "frame", "object", "video", "audio", "canvas", "listing", "xmp", "plaintext", "hgroup", "search",
  ]
  private static let hiddenNames = ["style", "iframe", "noembed", "noframes", "svg", "math"]
  private static let inertNames = ["template", "noscript"]
  private static let specials: [String: HTMLElementKind] = [
    "html": HTMLElementKind(breaksBlock: true, hidesContent: false, special: .html),
    "head": HTMLElementKind(breaksBlock: true, hidesContent: false, special: .head),
    "body": HTMLElementKind(breaksBlock: true, hidesContent: false, special: .body),
    "title": HTMLElementKind(breaksBlock: true, hidesContent: false, special: .title),
    "meta": HTMLElementKind(breaksBlock: false, hidesContent: true, special: .meta),
    "img": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .img),
    "script": HTMLElementKind(breaksBlock: false, hidesContent: true, special: .script),
    "del": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .strikethrough),
    "s": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .strikethrough),
    "strike": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .strikethrough),
    "td": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .cell),
    "th": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .cell),
    "dt": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .cell),
    "dd": HTMLElementKind(breaksBlock: false, hidesContent: false, special: .cell),
    "nav": HTMLElementKind(breaksBlock: true, hidesContent: false, special: .navigation),
  ]

  private static let allNames: [String: HTMLElementKind] = {
    var names = specials
    for name in blockNames { names[name] = block }
    for name in hiddenNames { names[name] = hidden }
    for name in inertNames { names[name] = inert }
    return names
  }()

  /// Names of up to 8 bytes packed little-endian into a UInt64, so the per-element lookup hashes one integer.
  private static let shortNames: [UInt64: HTMLElementKind] = {
    var table: [UInt64: HTMLElementKind] = [:]
    for (name, kind) in allNames where name.utf8.count <= 8 {
      var key: UInt64 = 0
      for (index, byte) in name.utf8.enumerated() { key |= UInt64(byte) << (8 * UInt64(index)) }
      table[key] = kind
    }
    return table
  }()

  private static let longNames: [String: HTMLElementKind] = allNames.filter { $0.key.utf8.count > 8 }
}
