/// Lets an issue be the failure of a `Result`, as `PageLocator.resolve` returns it.
extension InputIssue: Error {}
