import ComplianceRules
import Foundation
import ListingParser
import ZIPFoundation

/// `POST /api/v1/runs`: a zip of a feed and its pages, unpacked into a folder of its own under the data folder and
/// checked on a thread of its own while the request is answered with the run's id.
///
/// An entry that would land outside the folder (an absolute path, `..`, a symbolic link) is never written: it
/// becomes an `unsafe_path` input issue of the run, as a page path that climbs out of a feed's folder does.
final class RunUploads: Sendable {
  /// Listings read so far and the feed's listing count, per uploaded run still checking.
  private let progress = ProgressTable()
  let folder: URL
  let store: any ReviewStore
  let checker: ListingChecker

  /// A whole upload, unpacked: zip bombs stop here.
  static let maxUnpackedBytes: UInt64 = 2 << 30
  static let maxEntries = 200_000

  init(folder: String, store: any ReviewStore, checker: ListingChecker) {
    self.folder = URL(fileURLWithPath: folder).appendingPathComponent("uploads")
    self.store = store
    self.checker = checker
  }

  /// Listings done and total of a run this server is checking; nil for any other run.
  func progress(of runID: Int64) -> (done: Int, total: Int)? {
    progress.withLock { $0[runID] }
  }

  /// Unpacks `zip`, starts its run and returns the run's id once the store has it. Throws 422 for something that is
  /// not a zip or holds no feed.
  func start(zip: Data) async throws -> Int64 {
    let archive: Archive
    do {
      archive = try Archive(data: zip, accessMode: .read)
    } catch {
      throw Problem.invalid("the body is not a zip archive")
    }
    let target = folder.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let issues = try unpack(archive, into: target)
    guard let feed = Self.feed(in: target) else {
      try? FileManager.default.removeItem(at: target)
      throw Problem.invalid("the zip holds no feed (a .ndjson, .json or .csv file at its top level)")
    }
    return try await withCheckedThrowingContinuation { continuation in
      let thread = Thread { [self] in
        check(feed: feed, issues: issues, started: { continuation.resume(returning: $0) }, failed: {
          continuation.resume(throwing: $0)
        })
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// Writes each safe file entry under `target`; returns an input issue for each entry that is not.
  private func unpack(_ archive: Archive, into target: URL) throws -> [InputIssue] {
    var issues: [InputIssue] = []
    var unpacked: UInt64 = 0
    let root = target.standardizedFileURL.path + "/"
    for (index, entry) in archive.enumerated() {
      guard index < Self.maxEntries else {
        issues.append(Self.issue(.tooLarge, "the zip has more than \(Self.maxEntries) entries; the rest are skipped"))
        break
      }
      let path = entry.path
      if entry.type == .symlink {
        issues.append(Self.issue(.unsafePath, "'\(path)' is a symbolic link: skipped, links are never followed"))
        continue
      }
      let destination = target.appendingPathComponent(path).standardizedFileURL
      guard !path.hasPrefix("/"), !path.split(separator: "/").contains(".."), !path.contains("\\"),
        destination.path.hasPrefix(root)
      else {
        issues.append(Self.issue(.unsafePath, "'\(path)' would be written outside the upload's folder: skipped"))
        continue
      }
      guard entry.type == .file else { continue }
      unpacked += entry.uncompressedSize
      guard unpacked <= Self.maxUnpackedBytes else {
        issues.append(Self.issue(.tooLarge, "the zip unpacks to more than \(Self.maxUnpackedBytes >> 20) MiB; "
          + "'\(path)' and the entries after it are skipped"))
        break
      }
      try FileManager.default.createDirectory(
        at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
      guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
        issues.append(Self.issue(.unreadableFile, "'\(path)' could not be written: skipped"))
        continue
      }
      let handle = try FileHandle(forWritingTo: destination)
      defer { try? handle.close() }
      _ = try archive.extract(entry) { handle.write($0) }
    }
    return issues
  }

  /// The feed: the first `.ndjson`, `.json` or `.csv` file at the top of the upload, by name.
  private static func feed(in folder: URL) -> URL? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().first { ["ndjson", "json", "csv"].contains(($0 as NSString).pathExtension.lowercased()) }
      .map { folder.appendingPathComponent($0) }
  }

  private static func issue(_ kind: InputIssue.Kind, _ message: String) -> InputIssue {
    InputIssue(kind: kind, file: "upload.zip", line: 0, message: message)
  }

  /// The run, as `auditor check FEED --db` would do it, on this thread.
  private func check(
    feed: URL, issues: [InputIssue], started: @escaping (Int64) -> Void, failed: @escaping (any Error) -> Void
  ) {
    var runID: Int64?
    do {
      let reader = try FeedReader(path: feed.path)
      let total = Self.countRecords(feed)
      var run = AuditRun(checker: checker, store: store, jobs: 1)
      run.keepFindings = false
      run.onRunStarted = { [progress] id in
        runID = id
        progress.withLock { $0[id] = (0, total) }
        started(id)
      }
      var counter = ListingCounter { [progress] in
        if let id = runID { progress.withLock { $0[id]?.done += 1 } }
      }
      let summary = try run.run(
        [reader], paths: [feed.path], options: ["source": "upload", "jobs": "1"], toolVersion: "serve",
        observer: &counter)
      guard let id = runID else { return }
      try store.record(runID: id, issues: issues)
      let exitCode: Int32 = reader.nothingReadReason != nil ? 2 : summary.counts.count(atOrAbove: .error) > 0 ? 1 : 0
      try store.finishRun(
        id, listingsChecked: summary.listingsChecked, listingsSkipped: summary.listingsSkipped,
        findingsCount: summary.counts.total, inputIssuesCount: summary.issues.count + issues.count, exitCode: exitCode)
      progress.withLock { $0[id] = nil }
    } catch {
      if let id = runID {
        progress.withLock { $0[id] = nil }
      } else {
        failed(Problem.invalid("the feed cannot be read: \(error)"))
      }
    }
  }

  /// Lines that are not blank: the NDJSON record count (for a CSV, one more than its rows), shown as the total.
  private static func countRecords(_ feed: URL) -> Int {
    guard let data = FileManager.default.contents(atPath: feed.path) else { return 0 }
    return data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == 32 || $0 == 13 } }.count
  }
}

/// Run id → listings done and total, behind a lock: the run's thread writes it while requests read it.
private final class ProgressTable: @unchecked Sendable {
  private let lock = NSLock()
  private var table: [Int64: (done: Int, total: Int)] = [:]

  func withLock<T>(_ body: (inout [Int64: (done: Int, total: Int)]) -> T) -> T {
    lock.withLock { body(&table) }
  }
}

/// Counts the listings of an uploaded run as they are checked, for its progress.
private struct ListingCounter: RunObserver {
  let tick: () -> Void
  mutating func listingFinished(_ result: ListingResult) { tick() }
}
