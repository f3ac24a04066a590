/// What a feed yields, in file order: a listing, or a problem with one record that the run reports and goes past.
public enum FeedEvent: Sendable {
  case listing(Listing)
  case issue(InputIssue)
}

/// One format's record reader. Each call returns the events of the next record (its issues, then its listing if it
/// has one), or nil at the end of the file. Duplicate ids are checked by `FeedReader`, not here.
protocol FeedRecordSource: AnyObject {
  func nextRecord() -> [FeedEvent]?
}
