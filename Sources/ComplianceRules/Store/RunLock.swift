import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Tells a run still going on in some process from one whose process died: while a run is `running`, the process
/// that started it holds an exclusive `flock` on `<database>-run-<id>.lock`.
///
/// A lock rather than a stored pid (with host and start time): the kernel drops a `flock` when its process ends,
/// however it ends (`kill -9` included), so "nobody holds the lock" means exactly "the run's process is gone", with
/// no pid reuse to guard against and nothing platform-specific to read about another process. The lock belongs to
/// the open file, so two stores in one process exclude each other too. The limit is SQLite's own: locks are not
/// reliable on network file systems, so the database should not be shared over NFS anyway.
final class RunLock: Sendable {
  private let path: String
  private let descriptor: Int32

  /// Creates the run's lock file and takes the lock. Called inside the transaction that inserts the run, so a
  /// writer that sees the `running` row also sees the lock held.
  init(database: String, runID: Int64) throws {
    path = Self.path(database: database, runID: runID)
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw RunLockError(path: path, code: errno) }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let code = errno
      close(descriptor)
      throw RunLockError(path: path, code: code)
    }
    self.descriptor = descriptor
  }

  /// The run is over: removes the file. The lock goes with the object (closing the file releases it), so a store
  /// dropped without finishing its run leaves it abandoned, as a dead process does.
  func release() {
    unlink(path)
  }

  deinit {
    close(descriptor)
  }

  /// Whether the process that started run `runID` is gone: its lock file is missing, or nobody holds the lock.
  /// Takes a shared lock for a moment, which needs only read access, so read-only databases can tell too.
  static func isAbandoned(database: String, runID: Int64) -> Bool {
    let descriptor = open(path(database: database, runID: runID), O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return errno == ENOENT }
    defer { close(descriptor) }
    return flock(descriptor, LOCK_SH | LOCK_NB) == 0
  }

  static func path(database: String, runID: Int64) -> String { "\(database)-run-\(runID).lock" }

  /// Removes an abandoned run's lock file once the run is marked incomplete; best effort (a read-only folder keeps
  /// it, which is harmless: run ids are never reused).
  static func remove(database: String, runID: Int64) {
    unlink(path(database: database, runID: runID))
  }
}

/// The run lock file could not be created or locked.
struct RunLockError: Error, CustomStringConvertible {
  var path: String
  var code: Int32

  var description: String { "cannot lock \(path): \(String(cString: strerror(code)))" }
}
