import Foundation

/// Prints `value` as the listing commands' `--format json` output (`runs`, `runs --queue`, `findings history`):
/// pretty-printed with sorted keys, so that it diffs well and reads the same from every command.
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
