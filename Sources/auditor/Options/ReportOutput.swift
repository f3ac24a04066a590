import ArgumentParser
import Foundation

/// Where the report goes: standard output, or the `--output` file, created before any listing is read so that an
/// unwritable path is a usage error (exit 2), not a lost report.
///
/// Text is gathered and written in pieces of 64 KiB: a write per listing was a system call and a `Data` per listing,
/// 3 % of a run's wall time on a catalogue where most listings have findings.
final class ReportOutput {
  private let handle: FileHandle
  private let path: String?
  /// Whether anything has been written yet.
  private(set) var started = false
  private var buffer: [UInt8] = []
  private static let chunk = 65_536

  init(path: String?) throws {
    self.path = path
    guard let path else {
      handle = FileHandle.standardOutput
      return
    }
    guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
      Stderr.write("auditor: cannot write the report to \(path)")
      throw ExitCode(2)
    }
    handle = file
  }

  func write(_ text: String) {
    started = true
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= Self.chunk { flush() }
  }

  /// Writes out what is gathered.
  func flush() {
    guard !buffer.isEmpty else { return }
    handle.write(Data(buffer))
    buffer.removeAll(keepingCapacity: true)
  }

  func close() throws {
    flush()
    if path != nil { try handle.close() }
  }
}
