/// The listing's own text fields as text blocks, so rules read the feed the way they read a page.
extension Listing {
  /// True when `description` holds HTML (it contains `<`). Then `feedBlocks()` leaves it out and the caller parses
  /// `description` with the HTML reader, placing it at `feedLocation(ofField: "description", scope: .feedDescription)`.
  public var descriptionIsHTML: Bool { description?.contains("<") ?? false }

  /// Text blocks for feed.title, feed.seller (name and license_no, one block each), feed.return_policy,
  /// feed.category and, when it is plain text, feed.description. Whitespace runs collapse to one space as on a page;
  /// anchors point at the value in the feed file (see `fieldAnchors`), else at the record's line, column 1.
  public func feedBlocks() -> [TextBlock] {
    var fields: [(String, Scope, String?)] = [
      (FeedField.title.name, .feedTitle, title),
      (FeedField.sellerNameColumn, .feedSeller, seller.name),
      (FeedField.sellerLicenseNoColumn, .feedSeller, seller.licenseNo),
      (FeedField.returnPolicy.name, .feedReturnPolicy, returnPolicy),
      (FeedField.category.name, .feedCategory, category),
    ]
    if !descriptionIsHTML { fields.append((FeedField.description.name, .feedDescription, description)) }
    return fields.compactMap { path, scope, value in
      guard let value else { return nil }
      let (text, anchors) = Self.collapseWhitespace(value, anchors: anchors(forField: path, value: value))
      guard !text.isEmpty else { return nil }
      return TextBlock(scope: scope, text: text, file: source.file, anchors: anchors)
    }
  }

  /// Where the value of `field` (a schema path such as `title` or `seller.name`) starts in the feed file.
  public func feedLocation(ofField field: String, scope: Scope) -> SourceLocation {
    let anchor = fieldAnchors[field]?.first
    return SourceLocation(
      file: source.file, line: anchor.map { Int($0.line) } ?? source.line, column: anchor.map { Int($0.column) } ?? 1,
      scope: scope)
  }

  /// The stored anchors when they fit `value`, else the record's line, column 1.
  private func anchors(forField field: String, value: String) -> [TextBlock.Anchor] {
    if let anchors = fieldAnchors[field], anchors.first?.textOffset == 0,
      anchors.allSatisfy({ Int($0.textOffset) <= value.utf8.count })
    {
      return anchors
    }
    return [TextBlock.Anchor(textOffset: 0, line: source.line, column: 1)]
  }

  /// Trims `text` and collapses each whitespace run to one space, carrying the anchors over: every kept character
  /// keeps the source position it had, and a new anchor starts wherever positions stop running one column apart.
  static func collapseWhitespace(_ text: String, anchors: [TextBlock.Anchor]) -> (String, [TextBlock.Anchor]) {
    var output = String.UnicodeScalarView()
    var outputUTF8 = 0
    var newAnchors: [TextBlock.Anchor] = []
    var expected: (line: Int32, column: Int32)?
    var pendingSpace: (line: Int32, column: Int32)?
    var anchorIndex = 0
    var scalarsSinceAnchor: Int32 = 0
    var inputUTF8 = 0

    func emit(_ scalar: Unicode.Scalar, at position: (line: Int32, column: Int32)) {
      if expected.map({ $0.line != position.line || $0.column != position.column }) ?? true {
        newAnchors.append(
          TextBlock.Anchor(textOffset: outputUTF8, line: Int(position.line), column: Int(position.column)))
      }
      output.append(scalar)
      outputUTF8 += scalar.utf8.count
      expected = (position.line, position.column + 1)
    }

    for scalar in text.unicodeScalars {
      while anchorIndex + 1 < anchors.count, Int(anchors[anchorIndex + 1].textOffset) <= inputUTF8 {
        anchorIndex += 1
        scalarsSinceAnchor = 0
      }
      let anchor = anchors[anchorIndex]
      let position = (line: anchor.line, column: anchor.column + scalarsSinceAnchor)
      scalarsSinceAnchor += 1
      inputUTF8 += scalar.utf8.count
      if isWhitespace(scalar) {
        if !output.isEmpty, pendingSpace == nil { pendingSpace = position }
        continue
      }
      if let space = pendingSpace {
        emit(" ", at: space)
        pendingSpace = nil
      }
      emit(scalar, at: position)
    }
    return (String(output), newAnchors)
  }

  /// `Unicode.Scalar.Properties.isWhitespace`, answered without the property lookup for printable ASCII and the
  /// common ideographs that make up nearly every title.
  private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if (value > 0x20 && value < 0x7F) || (value >= 0x4E00 && value <= 0x9FFF) { return false }
    return scalar.properties.isWhitespace
  }
}
