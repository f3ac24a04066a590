import Algorithms

/// A run of visible text as a shopper reads it: one paragraph, cell, heading, alt text or feed field.
///
/// Text split by inline tags is joined (`概<b>不</b>退换` reads `概不退换`) and whitespace runs are collapsed to one
/// space. `anchors` map offsets in `text` back to the source so a finding can say exactly where it is.
public struct TextBlock: Sendable {
  /// Maps a UTF-8 offset in `text` to a source position; text after an anchor continues on the same source line,
  /// one scalar per column, until the next anchor. The position is a line and column (feed fields), or a byte
  /// offset in the page that the block's `lines` turns into one when asked.
  public struct Anchor: Sendable, Equatable {
    public var textOffset: Int32
    public var line: Int32
    public var column: Int32
    /// The page offset for `lines` to resolve, or −1 when `line` and `column` are the position.
    public var sourceOffset: Int32

    public init(textOffset: Int, line: Int, column: Int) {
      self.textOffset = Int32(textOffset)
      self.line = Int32(line)
      self.column = Int32(column)
      sourceOffset = -1
    }

    public init(textOffset: Int, sourceOffset: Int) {
      self.textOffset = Int32(textOffset)
      line = 0
      column = 0
      self.sourceOffset = Int32(sourceOffset)
    }
  }

  public let scope: Scope
  /// The text as valid UTF-8. Kept as bytes: the rules read it normalised, and a `String` made for every block of
  /// every page (validating its UTF-8 once more) was a measurable share of a run.
  public let utf8: [UInt8]
  public let file: String
  public let anchors: [Anchor]
  /// Resolves anchors that hold a page offset; nil for blocks whose anchors carry lines and columns.
  public let lines: SourceLineMap?

  /// The text as a `String`, made on each call.
  public var text: String { String(decoding: utf8, as: UTF8.self) }

  /// `utf8` must be valid UTF-8 (the page walker writes only what libxml2 decoded).
  public init(scope: Scope, utf8: [UInt8], file: String, anchors: [Anchor], lines: SourceLineMap? = nil) {
    self.scope = scope
    self.utf8 = utf8
    self.file = file
    self.anchors = anchors.isEmpty ? [Anchor(textOffset: 0, line: 0, column: 0)] : anchors
    self.lines = lines
  }

  public init(scope: Scope, text: String, file: String, anchors: [Anchor]) {
    self.init(scope: scope, utf8: Array(text.utf8), file: file, anchors: anchors)
  }

  /// A block whose text starts at one source position and has no inner breaks (a feed field, an attribute).
  public init(scope: Scope, text: String, file: String, line: Int, column: Int) {
    self.init(scope: scope, text: text, file: file, anchors: [Anchor(textOffset: 0, line: line, column: column)])
  }

  /// The source location of the character that starts at `utf8Offset` in `text`.
  public func location(atUTF8Offset utf8Offset: Int) -> SourceLocation {
    // The last anchor at or before the offset (the first one when none is).
    let following = anchors.partitioningIndex { Int($0.textOffset) > utf8Offset }
    var anchor = anchors[max(0, following - 1)]
    if anchor.sourceOffset >= 0, let lines {
      let (line, column) = lines.position(of: Int(anchor.sourceOffset))
      anchor.line = Int32(line)
      anchor.column = Int32(column)
    }
    guard anchor.line > 0 else { return SourceLocation(file: file, line: 0, column: 0, scope: scope) }
    var scalars = 0
    let start = min(max(0, Int(anchor.textOffset)), utf8.count)
    let end = min(max(0, utf8Offset), utf8.count)
    if start < end {
      for byte in utf8[start..<end] where byte & 0xC0 != 0x80 { scalars += 1 }
    }
    return SourceLocation(file: file, line: Int(anchor.line), column: Int(anchor.column) + scalars, scope: scope)
  }

  /// The location of the block's first character.
  public var startLocation: SourceLocation { location(atUTF8Offset: 0) }
}
