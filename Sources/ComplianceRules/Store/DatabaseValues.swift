import GRDB

/// Severity and area are stored as their raw text (`warning`, `food_license`) so the database reads well in any
/// SQLite client; fetching a value the enum does not know fails instead of inventing one.
extension Severity: DatabaseValueConvertible {}

extension Area: DatabaseValueConvertible {}
