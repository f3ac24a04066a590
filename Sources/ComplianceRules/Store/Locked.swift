import Foundation

/// A value behind a lock. `Mutex` from Synchronization would say the same without `@unchecked`, but it needs
/// macOS 15 and the package supports macOS 13.
///
/// `@unchecked Sendable` is sound because `value` is only reached through `withLock`, which holds `lock`.
final class Locked<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) {
    self.value = value
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
