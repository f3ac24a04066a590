import Foundation

/// Work done for each ruleset file on all cores. Composing a file's YAML and parsing its rules (compiling their
/// patterns) share nothing with other files and were most of start-up, run before the first listing is read.
enum PerFile {
  /// `transform(i)` for every `i` in `0..<count`, in order, computed concurrently.
  static func map<Result>(_ count: Int, _ transform: (Int) -> Result) -> [Result] {
    let slots = UnsafeMutableBufferPointer<Result>.allocate(capacity: count)
    defer { slots.deallocate() }
    withoutActuallyEscaping(transform) { transform in
      let work = Work(transform: transform, slots: slots)
      DispatchQueue.concurrentPerform(iterations: count) { index in
        (work.slots.baseAddress! + index).initialize(to: work.transform(index))
      }
    }
    let results = Array(slots)
    _ = slots.deinitialize()
    return results
  }

  /// `@unchecked`: Yams' nodes and the rules' makers are not `Sendable`, but each result is written by one thread
  /// into its own slot and read only once every thread has finished (`concurrentPerform` returns then), and
  /// `transform` only reads what it captures.
  private struct Work<Result>: @unchecked Sendable {
    let transform: (Int) -> Result
    let slots: UnsafeMutableBufferPointer<Result>
  }
}
