import ArgumentParser
import Foundation

/// Where the report goes: standard output, or the `--output` file, created before any listing is read so that an
/// unwritable path is a usage error (exit 2), not a lost report.
final class ReportOutput {
  private let handle: FileHandle
  private let path: String?
  /// Whether anything has been written yet.
  private(set) var started = false

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
    guard !text.isEmpty else { return }
    handle.write(Data(text.utf8))
  }

  func close() throws {
    if path != nil { try handle.close() }
  }
}
