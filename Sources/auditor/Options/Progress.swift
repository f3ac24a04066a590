import Foundation

/// A one-line progress report on stderr — listings checked, rate, elapsed — for runs long enough to wonder about.
///
/// Only when stderr is a terminal, and only after the first two seconds, so CI logs and short runs stay quiet. The
/// feed is streamed, so the total is not known in advance and no ETA is guessed.
final class Progress {
  private let enabled = isatty(STDERR_FILENO) == 1
  private let start = Date()
  private var count = 0
  private var lastDraw = Date.distantPast
  private var drawn = false

  func tick() {
    count += 1
    guard enabled else { return }
    let now = Date()
    let elapsed = now.timeIntervalSince(start)
    guard elapsed >= 2, now.timeIntervalSince(lastDraw) >= 0.5 else { return }
    lastDraw = now
    drawn = true
    let line = String(format: "\r  %d listings checked · %.0f/s · %.0f s ", count, Double(count) / elapsed, elapsed)
    FileHandle.standardError.write(Data(line.utf8))
  }

  /// Clears the progress line so the report starts on a clean line.
  func finish() {
    guard drawn else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
