/// Where each listing id of a run was first read, so that a later record reusing the id — in the same feed or in
/// another feed of the run — is reported as a duplicate. One register is shared by every `FeedReader` of a run.
public final class ListingIDRegister {
  private var firstUse: [String: (file: String, line: Int)] = [:]

  public init() {}

  /// Records `id` as read at `file`:`line` and returns nil, or returns where it was first read if it was.
  func claim(_ id: String, file: String, line: Int) -> (file: String, line: Int)? {
    if let first = firstUse[id] { return first }
    firstUse[id] = (file, line)
    return nil
  }
}
