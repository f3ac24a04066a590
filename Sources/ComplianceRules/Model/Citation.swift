/// The law a rule enforces: which instrument, which article, and how sure we are of the text.
public struct Citation: Hashable, Sendable, Codable {
  /// How the article was confirmed (see ../shared/notes/regulations.md and rulesets/README.md).
  public enum Grade: String, Sendable, Codable, CaseIterable {
    /// Read in the statute's text.
    case confirmed = "C"
    /// Known from secondary sources only.
    case secondary = "S"
    /// Unconfirmed: rules graded U default to `info`.
    case unconfirmed = "U"
  }

  public var law: String
  public var article: String
  public var grade: Grade
  public var url: String?

  public init(law: String, article: String, grade: Grade, url: String? = nil) {
    self.law = law
    self.article = article
    self.grade = grade
    self.url = url
  }
}

extension Citation: CustomStringConvertible {
  /// `明码标价和禁止价格欺诈规定 第二十条 [C]`
  public var description: String {
    article.isEmpty ? "\(law) [\(grade.rawValue)]" : "\(law) \(article) [\(grade.rawValue)]"
  }
}
