/// Resolves a listing's `detail_page` against the feed's folder without ever leaving that folder or the machine: the
/// auditor reads what the seller ships with the feed, never fetches, and never reads files a feed merely names.
package enum PageLocator {
  /// `.success` is the path to read: the feed's folder joined with the normalised page path (relative when
  /// `feedPath` is). `.failure` is a `remote_page` issue for `http(s)://`, `//host/…` or any other `scheme:`, and an
  /// `unsafe_path` issue for an absolute path or one whose `..` steps climb out of the feed's folder. Backslashes are
  /// read as separators, as Windows exporters write them.
  ///
  /// This is a check of the text only. Symbolic links are caught when the page is read: `HTMLReader.load` with
  /// `confinedTo: folder(of: feedPath)` follows them and refuses a page whose real path leaves the feed's folder.
  ///
  /// `feedPath` is also the file named in the issue.
  public static func resolve(_ detailPage: String, feedPath: String, listingID: String, line: Int) -> Result<
    String, InputIssue
  > {
    if isPlainRelativePath(detailPage) { return .success(folder(of: feedPath) + detailPage) }
    return resolveInFull(detailPage, feedPath: feedPath, listingID: listingID, line: line)
  }

  /// What `resolve` does for every page path; `resolve` skips it when `isPlainRelativePath` says it would return the
  /// path unchanged.
  static func resolveInFull(_ detailPage: String, feedPath: String, listingID: String, line: Int) -> Result<
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
    return .success(folder(of: feedPath) + components.joined(separator: "/"))
  }

  /// True for the path almost every feed gives, `pages/a.html`, which the full resolution would return as it is: not
  /// empty, no backslash, colon or NUL, no `.whitespaces` character at either end, and no empty, `.` or `..`
  /// component (so no leading or trailing slash either). Checking that on bytes skips the trimming, replacing,
  /// splitting and joining, each of which bridged through NSString or allocated for every listing.
  ///
  /// Anything else takes the full path, so this only has to be right when it says yes. Components are split at every
  /// `/` byte, which is at least as often as the full resolution splits by Character (a `/` joined to a combining or
  /// prepended mark is no separator there), so a component it would find empty or a dot step is one this finds too.
  static func isPlainRelativePath(_ page: String) -> Bool {
    guard let first = page.unicodeScalars.first, let last = page.unicodeScalars.last,
      !UnicodeWhitespace.whitespaces.contains(first), !UnicodeWhitespace.whitespaces.contains(last)
    else { return false }
    var componentLength = 0
    var componentIsDots = true
    for byte in page.utf8 {
      switch byte {
      case UInt8(ascii: "\\"), UInt8(ascii: ":"), 0:
        return false
      case UInt8(ascii: "/"):
        guard componentLength > 0, !(componentIsDots && componentLength <= 2) else { return false }
        componentLength = 0
        componentIsDots = true
      default:
        componentLength += 1
        componentIsDots = componentIsDots && byte == UInt8(ascii: ".")
      }
    }
    return componentLength > 0 && !(componentIsDots && componentLength <= 2)
  }

  /// The feed's folder with its trailing slash, or "" for a feed in the working directory: where pages are
  /// resolved from and what they must stay inside.
  ///
  /// Foundation's `range(of: "/", options: .backwards)` finds the last `/` that is a whole Character; it costs a
  /// Foundation string search per listing. When the bytes on both sides of the last `/` byte are ASCII (or absent),
  /// that `/` is a Character of its own and the two agree; only otherwise is Foundation asked.
  public static func folder(of feedPath: String) -> String {
    let utf8 = feedPath.utf8
    guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    let after = utf8.index(after: slash)
    let asciiBefore = slash == utf8.startIndex || utf8[utf8.index(before: slash)] < 0x80
    let asciiAfter = after == utf8.endIndex || utf8[after] < 0x80
    guard asciiBefore, asciiAfter else {
      return feedPath.range(of: "/", options: .backwards).map { String(feedPath[..<$0.upperBound]) } ?? ""
    }
    return String(feedPath[..<after])
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
