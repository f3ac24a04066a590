import CICU
import Synchronization

/// A regular expression compiled by ICU and matched straight over UTF-8 bytes.
///
/// `NSRegularExpression` (ICU underneath) takes a `String`, copies its UTF-16 on every call and answers in UTF-16
/// ranges that must be mapped back to UTF-8; on catalogue pages, with a pattern tried at every trigger hit, that copy
/// and the result objects cost more than the matching. ICU itself can match over UTF-8 through a `UText`, and then
/// every index it reports is already a UTF-8 offset. The syntax is ICU's in both cases, so patterns mean the same.
///
/// An ICU matcher holds its text and match state and must not be shared between threads: each use takes a matcher
/// from a small pool and gives it back, so threads never wait on one another for longer than a pop or a push.
final class ICURegex: Sendable {
  /// A compile error, as ICU names it, with the offset in the pattern where it was found.
  struct CompileError: Error, CustomStringConvertible {
    let name: String
    let offset: Int32
    var description: String { offset >= 0 ? "\(name) at character \(offset + 1)" : name }
  }

  /// A C pointer the pool hands to one thread at a time.
  private struct Handle: @unchecked Sendable {
    let pointer: OpaquePointer
  }

  private let compiled: Handle
  private let idle = Mutex<[Handle]>([])
  private let codeGroup: Int32?
  private let groupCount: Int32

  /// Compiles `pattern`; `codeGroupName`, when the pattern names such a group, is the group `Matcher.code` reports.
  init(_ pattern: String, caseInsensitive: Bool, codeGroupName: String? = nil) throws(CompileError) {
    let utf16 = Array(pattern.utf16)
    var errorName: UnsafePointer<CChar>?
    var errorOffset: Int32 = -1
    guard let made = cicu_regex_open(utf16, Int32(utf16.count), caseInsensitive ? 1 : 0, &errorName, &errorOffset)
    else {
      throw CompileError(name: errorName.map { String(cString: $0) } ?? "unknown error", offset: errorOffset)
    }
    compiled = Handle(pointer: made)
    groupCount = cicu_regex_group_count(made)
    if let codeGroupName {
      let name = Array(codeGroupName.utf16)
      let number = cicu_regex_group_number(made, name, Int32(name.count))
      codeGroup = number >= 0 ? number : nil
    } else {
      codeGroup = nil
    }
  }

  deinit {
    idle.withLock { matchers in
      for matcher in matchers { cicu_matcher_free(matcher.pointer) }
    }
    cicu_regex_close(compiled.pointer)
  }

  /// Runs `body` with a matcher set to `text` (UTF-8, valid). The matcher is valid only inside `body`.
  func withMatcher<Result>(on text: UnsafeBufferPointer<UInt8>, _ body: (Matcher) -> Result) -> Result {
    let handle = idle.withLock { $0.popLast() } ?? newMatcher()
    defer { idle.withLock { $0.append(handle) } }
    let raw = text.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    let matcher = Matcher(pointer: handle.pointer, codeGroup: codeGroup, groupCount: groupCount)
    if cicu_matcher_set_utf8(handle.pointer, raw, Int64(text.count)) == 0 {
      // ICU refuses a text only when it cannot hold its length: match against nothing rather than the last text.
      _ = cicu_matcher_set_utf8(handle.pointer, nil, 0)
    }
    return body(matcher)
  }

  /// Every match in `text` (UTF-8), each as the ranges of its groups, 0 (the whole match) first; nil for a group
  /// that took no part. For the coded rules that read numbers out of groups.
  func matches(in text: [UInt8]) -> [[Range<Int>?]] {
    text.withUnsafeBufferPointer { bytes in
      withMatcher(on: bytes) { matcher in
        var found: [[Range<Int>?]] = []
        while matcher.findNext() { found.append(matcher.groups) }
        return found
      }
    }
  }

  /// The first match in `text`, as `matches(in:)` gives each.
  func firstMatch(in text: [UInt8]) -> [Range<Int>?]? {
    text.withUnsafeBufferPointer { bytes in
      withMatcher(on: bytes) { matcher in matcher.findNext() ? matcher.groups : nil }
    }
  }

  private func newMatcher() -> Handle {
    // A clone of a compiled expression fails only when memory does; there is nothing to match with then.
    guard let made = cicu_matcher_new(compiled.pointer) else {
      fatalError("ICU could not clone a regular expression (out of memory)")
    }
    return Handle(pointer: made)
  }

  /// One thread's view of the expression over one text; offsets are UTF-8 offsets into that text. The match state
  /// lives in ICU's matcher, so this is a plain handle.
  struct Matcher {
    fileprivate let pointer: OpaquePointer
    fileprivate let codeGroup: Int32?
    fileprivate let groupCount: Int32

    /// Finds the next match after the previous one (or from the start).
    func findNext() -> Bool {
      cicu_matcher_find_next(pointer) != 0
    }

    /// Whether a match starts exactly at `start`. Text before `start` stays visible to lookbehind.
    func matches(at start: Int) -> Bool {
      cicu_matcher_looking_at(pointer, Int64(start)) != 0
    }

    /// The last match's range.
    var range: Range<Int> { group(0) ?? 0..<0 }

    /// The last match's `code` group when the expression has one and it took part, else the whole match.
    var code: Range<Int> { codeGroup.flatMap(group) ?? range }

    /// The ranges of every group of the last match, 0 first.
    var groups: [Range<Int>?] { (0...groupCount).map(group) }

    func group(_ number: Int32) -> Range<Int>? {
      let start = cicu_matcher_start(pointer, number)
      let end = cicu_matcher_end(pointer, number)
      guard start >= 0, end >= start else { return nil }
      return Int(start)..<Int(end)
    }
  }
}
