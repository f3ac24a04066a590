import Foundation
import ListingParser
import XCTest

/// A temporary folder for one test's fixture files, removed when the test ends.
final class FixtureFolder {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "feed-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try write(name, bytes: Array(text.utf8))
  }

  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }
}

/// Everything a reader yields, split by kind, in order.
struct FeedContents {
  var listings: [Listing] = []
  var issues: [InputIssue] = []

  init(_ reader: FeedReader) {
    for event in reader {
      switch event {
      case .listing(let listing): listings.append(listing)
      case .issue(let issue): issues.append(issue)
      }
    }
  }

  var ids: [String] { listings.map(\.id) }

  func listing(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> Listing {
    try XCTUnwrap(listings.first { $0.id == id }, "no listing \(id)", file: file, line: line)
  }
}

func read(_ path: String, displayPath: String? = nil) throws -> FeedContents {
  FeedContents(try FeedReader(path: path, displayPath: displayPath))
}

/// GB18030 bytes for `text`, made with iconv as a shop's Excel export would be.
func gb18030(_ text: String) throws -> [UInt8] {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
  process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
  let input = Pipe()
  let output = Pipe()
  process.standardInput = input
  process.standardOutput = output
  try process.run()
  input.fileHandleForWriting.write(Data(text.utf8))
  try input.fileHandleForWriting.close()
  let bytes = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  XCTAssertEqual(process.terminationStatus, 0)
  return Array(bytes)
}

extension TextBlock {
  /// The source location of the first occurrence of `needle` in the block's text.
  func location(of needle: String) -> SourceLocation? {
    text.range(of: needle).map { location(atUTF8Offset: text.utf8.distance(from: text.startIndex, to: $0.lowerBound)) }
  }
}
