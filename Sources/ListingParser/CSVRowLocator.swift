/// Finds where each cell of a CSV row starts in the file, and where its text jumps (a `""` escape, a line break
/// inside quotes), so a finding in a cell can point at the character.
///
/// CSV.swift returns cell values only, so the row's raw lines are scanned again with CSV.swift's own rules: a quote
/// only opens a cell at its start, `""` inside quotes is one quote, and a quote followed by anything else keeps the
/// quote and drops that character. Callers check each cell's length against CSV.swift's value before trusting it.
enum CSVRowLocator {
  struct Cell {
    var anchors: [TextBlock.Anchor]
    /// Length of the cell's value in UTF-8 bytes, to compare with what CSV.swift read.
    var utf8Count: Int
  }

  private struct Positioned {
    var scalar: Unicode.Scalar
    var line: Int
    var column: Int
  }

  static func locate(lines: [ByteLineReader.Line]) -> [Cell] {
    var scalars: [Positioned] = []
    for line in lines {
      var column = 1
      for scalar in String(decoding: line.content + line.terminator, as: UTF8.self).unicodeScalars {
        scalars.append(Positioned(scalar: scalar, line: line.number, column: column))
        column += 1
      }
    }
    var cells: [Cell] = []
    var index = 0
    var rowEnded = false
    while !rowEnded {
      var value: [Positioned] = []
      let quoted = index < scalars.count && scalars[index].scalar == "\""
      if quoted { index += 1 }
      cellLoop: while true {
        guard index < scalars.count else {
          rowEnded = true
          break
        }
        let current = scalars[index]
        if quoted, current.scalar == "\"" {
          let next = index + 1 < scalars.count ? scalars[index + 1].scalar : nil
          switch next {
          case nil, "\r", "\n":
            rowEnded = true
            break cellLoop
          case ",":
            index += 2
            break cellLoop
          default:
            value.append(current)
            index += 2
          }
        } else if !quoted, current.scalar == "\r" || current.scalar == "\n" {
          rowEnded = true
          break
        } else if !quoted, current.scalar == "," {
          index += 1
          break
        } else {
          value.append(current)
          index += 1
        }
      }
      cells.append(cell(from: value))
    }
    return cells
  }

  /// Anchors wherever the next character is not one column right of the previous one.
  private static func cell(from value: [Positioned]) -> Cell {
    var anchors: [TextBlock.Anchor] = []
    var utf8Count = 0
    var previous: Positioned?
    for character in value {
      if previous.map({ $0.line != character.line || $0.column + 1 != character.column }) ?? true {
        anchors.append(TextBlock.Anchor(textOffset: utf8Count, line: character.line, column: character.column))
      }
      utf8Count += character.scalar.utf8.count
      previous = character
    }
    return Cell(anchors: anchors, utf8Count: utf8Count)
  }
}
