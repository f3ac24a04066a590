/// Searching UTF-8 bytes for a byte string: where a page's JSON-LD text stands in its source, whether a category
/// path contains an entry, where a clause's last separator is.
///
/// It lives here rather than in ComplianceRules because the page scan needs it and ComplianceRules depends on this
/// module, not the other way round; `package` keeps it out of both modules' public API. `@inlinable` lets the
/// rules' modules inline it as they did their own loops (called per category and per listing, a cross-module call
/// cost more than the search). On valid UTF-8 a match found here starts and ends on character boundaries.
extension UnsafeBufferPointer where Element == UInt8 {
  /// The first offset in `range` where `needle` starts; nil when it does not occur there or is empty. `range`
  /// must lie within the buffer.
  @inlinable package func firstIndex(of needle: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
    guard let first = needle.first, needle.count <= range.count else { return nil }
    var index = range.lowerBound
    let last = range.upperBound - needle.count
    while index <= last {
      if self[index] == first, occurs(needle, at: index) { return index }
      index += 1
    }
    return nil
  }

  /// The last offset in `range` where `needle` starts; nil when it does not occur there or is empty. `range`
  /// must lie within the buffer.
  @inlinable package func lastIndex(of needle: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int? {
    guard let first = needle.first, needle.count <= range.count else { return nil }
    var index = range.upperBound - needle.count
    while index >= range.lowerBound {
      if self[index] == first, occurs(needle, at: index) { return index }
      index -= 1
    }
    return nil
  }

  /// Whether `needle` occurs anywhere in the buffer; an empty needle occurs in every buffer.
  @inlinable package func contains(bytes needle: [UInt8]) -> Bool {
    needle.isEmpty || needle.withUnsafeBufferPointer { firstIndex(of: $0, in: 0..<count) != nil }
  }

  /// Whether the bytes from `offset` on begin with `needle` (which fits before the end, as the callers check).
  @inlinable func occurs(_ needle: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    var index = 1
    while index < needle.count, self[offset + index] == needle[index] { index += 1 }
    return index == needle.count
  }
}
