import Foundation
import XCTest

/// Runs the built `auditor` binary, as a user or a CI job would.
enum AuditorBinary {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var url: URL {
    // XCTest on Linux runs from the build products folder, next to the executable.
    let products = Bundle.main.bundleURL
    for candidate in [products.appendingPathComponent("auditor"), products.deletingLastPathComponent().appendingPathComponent("auditor")]
    where FileManager.default.isExecutableFile(atPath: candidate.path) {
      return candidate
    }
    return packageRoot.appendingPathComponent(".build/debug/auditor")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `auditor args…` in `directory` (default: the package root) and collects its output.
  static func run(_ arguments: [String], in directory: URL = packageRoot, environment: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a large report cannot fill the pipe and block the child.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  /// A fresh temporary folder for a test's feeds, pages and databases.
  static func scratchFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("auditor-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("pages"), withIntermediateDirectories: true)
    return folder
  }
}
