import ComplianceRules
import Foundation

/// A one-line progress report on stderr — listings checked, rate, estimated time left — for runs long enough to
/// wonder about.
///
/// Only when stderr is a terminal and the report is not streaming to that same terminal, and only after the first two
/// seconds, so CI logs, short runs and the report itself stay clean. The
/// feeds are streamed, so the estimate comes from lines: each listing knows the line it starts on, and the feeds'
/// line counts are taken once at the start (a newline count, milliseconds for a large feed).
final class Progress {
  private let enabled: Bool
  private let start = Date()
  private var count = 0
  private var lastDraw = Date.distantPast
  private var drawn = false
  /// For each feed, the lines of the feeds before it; and all lines.
  private var linesBefore: [String: Int] = [:]
  private var totalLines = 0

  init(feeds: [String], reportToTerminal: Bool) {
    enabled = isatty(STDERR_FILENO) == 1 && !reportToTerminal
    guard enabled else { return }
    for feed in feeds {
      linesBefore[feed] = totalLines
      totalLines += Self.lineCount(feed)
    }
  }

  func tick(_ result: ListingResult) {
    count += 1
    guard enabled else { return }
    let now = Date()
    let elapsed = now.timeIntervalSince(start)
    guard elapsed >= 2, now.timeIntervalSince(lastDraw) >= 0.5 else { return }
    lastDraw = now
    drawn = true
    var line = String(format: "\r  %d listings checked · %.0f/s · %.0f s", count, Double(count) / elapsed, elapsed)
    let done = (linesBefore[result.listing.source.file] ?? 0) + result.listing.source.line
    if totalLines > 0, done > 0, done <= totalLines {
      line += String(format: " · about %.0f s left", elapsed * Double(totalLines - done) / Double(done))
    }
    FileHandle.standardError.write(Data((line + " \u{1B}[K").utf8))
  }

  /// Clears the progress line so the report starts on a clean line.
  func finish() {
    guard drawn else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }

  private static func lineCount(_ path: String) -> Int {
    guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
    defer { try? handle.close() }
    var lines = 0
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
    return lines
  }
}
