/// Resolves a listing's `detail_page` against the feed's folder without ever leaving that folder or the machine: the
/// auditor reads what the seller ships with the feed, never fetches, and never reads files a feed merely names.
public enum PageLocator {
  /// `.success` is the path to read: the feed's folder joined with the normalised page path (relative when
  /// `feedPath` is). `.failure` is a `remote_page` issue for `http(s)://`, `//host/…` or any other `scheme:`, and an
  /// `unsafe_path` issue for an absolute path or one whose `..` steps climb out of the feed's folder. Backslashes are
  /// read as separators, as Windows exporters write them. Symlinks are not followed here (out of scope).
  ///
  /// `feedPath` is also the file named in the issue.
  public static func resolve(_ detailPage: String, feedPath: String, listingID: String, line: Int) -> Result<
    String, InputIssue
  > {
    func failure(_ kind: InputIssue.Kind, _ message: String) -> Result<String, InputIssue> {
      .failure(InputIssue(kind: kind, file: feedPath, line: line, listingID: listingID, message: message))
    }
    let page = detailPage.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\\", with: "/")
    let shown = "`detail_page` \"\(detailPage)\""
    guard !page.isEmpty else {
      return failure(.missingField, "`detail_page` is empty; give the page's path relative to the feed's folder")
    }
    if page.hasPrefix("//") || (hasScheme(page) && !isDrivePath(page)) {
      return failure(
        .remotePage,
        "\(shown) is a remote address; the auditor never fetches pages — save the page next to the feed and give its "
          + "relative path")
    }
    if page.hasPrefix("/") || isDrivePath(page) || page.contains("\0") {
      return failure(
        .unsafePath, "\(shown) is an absolute path; give the page's path relative to the feed's folder")
    }
    var components: [Substring] = []
    for component in page.split(separator: "/") where component != "." {
      guard component == ".." else {
        components.append(component)
        continue
      }
      guard !components.isEmpty else {
        return failure(
          .unsafePath, "\(shown) climbs out of the feed's folder with \"..\"; keep pages inside the feed's folder")
      }
      components.removeLast()
    }
    guard !components.isEmpty else {
      return failure(.unsafePath, "\(shown) names the feed's folder, not a page")
    }
    let relative = components.joined(separator: "/")
    let folder = feedPath.range(of: "/", options: .backwards).map { String(feedPath[..<$0.upperBound]) } ?? ""
    return .success(folder + relative)
  }

  /// `scheme:` as RFC 3986 spells it: a letter, then letters, digits, `+`, `-` or `.`, then a colon.
  private static func hasScheme(_ page: String) -> Bool {
    guard let colon = page.firstIndex(of: ":"), let first = page.first, first.isASCII, first.isLetter else {
      return false
    }
    return page[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
  }

  /// `C:/…` (after backslashes became slashes): a Windows absolute path, not a URL scheme.
  private static func isDrivePath(_ page: String) -> Bool {
    let characters = Array(page.prefix(3))
    return characters.count == 3 && characters[0].isASCII && characters[0].isLetter && characters[1] == ":"
      && characters[2] == "/"
  }
}
