/// Where a piece of text came from: the file, a 1-based line and a 1-based column, and the scope it was read in.
///
/// Columns count Unicode scalars (code points), not bytes or UTF-16 units, so a CJK character or an emoji
/// moves the column by exactly one. Line or column 0 means "not known" (a whole-listing finding, say).
public struct SourceLocation: Hashable, Sendable, Codable {
  public var file: String
  public var line: Int
  public var column: Int
  public var scope: Scope

  public init(file: String, line: Int, column: Int, scope: Scope) {
    self.file = file
    self.line = line
    self.column = column
    self.scope = scope
  }
}

extension SourceLocation: CustomStringConvertible {
  public var description: String { "\(file):\(line):\(column) [\(scope)]" }
}
