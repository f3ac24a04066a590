/// Reads an element's class, id and style for the signs that its text is a price or a struck-through original
/// price (划线价), which the price rules need to tell apart.
///
/// `price` is matched anywhere in a class or id (`p-price`, `tm-price`, `J_PromoPrice`). The original-price markers
/// (`original`, `origin`, `orig`, `old`, `market`, `del`, `strike`, `line-through`) are matched as whole words, split
/// at `-`, `_`, spaces and camelCase humps, so that `bold`, `model` or `delivery` do not count, and only next to
/// `price` in the same element (`oldPrice`, `price-del`, `tm-price-original`) or inside a price element
/// (`<span class="price"><i class="origin">`). On their own they say too little: a real Tmall page wraps its
/// whole body in `class="… page-not-market"`.
enum PriceMarkup: UInt8 {
  case none
  case price
  case original
  /// An original-price word with no `price` beside it: original inside a price element, nothing elsewhere.
  case originalIfInPrice

  private static let originalWords: [StaticString] = [
    "original", "origin", "orig", "old", "market", "del", "strike", "linethrough",
  ]

  /// Classifies the values of one element's `class`, `id` and `style` attributes.
  static func classify(
    className: UnsafePointer<UInt8>?, id: UnsafePointer<UInt8>?, style: UnsafePointer<UInt8>?
  ) -> PriceMarkup {
    if let style, contains(style, "line-through") { return .original }
    var isPrice = false
    var hasOriginalWord = false
    if let className {
      isPrice = contains(className, "price")
      hasOriginalWord = Self.hasOriginalWord(className)
    }
    if let id {
      isPrice = isPrice || contains(id, "price")
      hasOriginalWord = hasOriginalWord || Self.hasOriginalWord(id)
    }
    switch (isPrice, hasOriginalWord) {
    case (true, true): return .original
    case (true, false): return .price
    case (false, true): return .originalIfInPrice
    case (false, false): return .none
    }
  }

  /// The state of text inside an element marked `own`, given the state of its parent. A struck-through price stays
  /// struck through whatever is nested in it.
  static func nested(_ own: PriceMarkup, in parent: PriceMarkup) -> PriceMarkup {
    switch (own, parent) {
    case (_, .original), (.original, _), (.originalIfInPrice, .price): return .original
    case (.price, _): return .price
    default: return parent
    }
  }

  /// Case-insensitive ASCII substring test on a NUL-terminated attribute value.
  private static func contains(_ value: UnsafePointer<UInt8>, _ needle: StaticString) -> Bool {
    let needleBytes = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    var start = 0
    while value[start] != 0 {
      var matched = 0
      while matched < needleBytes.count {
        let byte = value[start + matched]
        if byte == 0 || lowercased(byte) != needleBytes[matched] { break }
        matched += 1
      }
      if matched == needleBytes.count { return true }
      start += 1
    }
    return false
  }

  /// Splits the value into words without allocating (attribute values are short, but there is one per element).
  private static func hasOriginalWord(_ value: UnsafePointer<UInt8>) -> Bool {
    var wordStart = 0
    var previousWord = 0..<0
    var index = 0
    var previousWasLower = false
    while true {
      let byte = value[index]
      let isUpper = byte >= 0x41 && byte <= 0x5A
      let isLower = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
      let endsWord = byte == 0 || (!isUpper && !isLower) || (isUpper && previousWasLower)
      if endsWord && wordStart < index {
        let word = wordStart..<index
        if originalWords.contains(where: { equals(value, word, $0) }) { return true }
        if equals(value, word, "through") && equals(value, previousWord, "line") { return true }
        previousWord = word
      }
      if byte == 0 { return false }
      if endsWord { wordStart = isUpper ? index : index + 1 }
      previousWasLower = isLower
      index += 1
    }
  }

  private static func equals(_ value: UnsafePointer<UInt8>, _ word: Range<Int>, _ candidate: StaticString) -> Bool {
    guard word.count == candidate.utf8CodeUnitCount else { return false }
    let bytes = candidate.utf8Start
    for (position, index) in word.enumerated() where lowercased(value[index]) != bytes[position] { return false }
    return true
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
}
