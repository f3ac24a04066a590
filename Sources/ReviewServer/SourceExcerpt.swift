import Foundation

/// The text around a finding's evidence, for its page: the line of the page or feed record the run read it from,
/// cut to a window around the column. The file is the one the run recorded (never a path from a request), read
/// only up to the line; it is shown as text, never as HTML. Nil when the file is not there any more.
enum SourceExcerpt {
  /// Bytes read at most: a page's line beyond this is not shown.
  static let maxBytes = 4 << 20
  /// Characters shown on each side of the column.
  static let window = 120

  static func line(file: String, line: Int, column: Int) -> String? {
    guard line > 0, let handle = FileHandle(forReadingAtPath: file) else { return nil }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: maxBytes) else { return nil }
    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard line <= lines.count else { return nil }
    let text = String(decoding: lines[line - 1], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    let scalars = Array(text.unicodeScalars)
    let start = max(0, min(scalars.count, column - 1 - window))
    let end = min(scalars.count, max(0, column - 1) + window)
    guard start < end else { return text }
    var excerpt = String(String.UnicodeScalarView(scalars[start..<end]))
    if start > 0 { excerpt = "…" + excerpt }
    if end < scalars.count { excerpt += "…" }
    return excerpt
  }
}
