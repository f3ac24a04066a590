/// A byte-level Aho-Corasick automaton compiled to a dense transition table.
///
/// All word lists of all rules go into one automaton, so each text block is scanned once whatever the number of
/// terms (~190 MB/s measured for 2,000 Chinese terms; a regular expression per keyword managed 0.02–0.25 MB/s).
/// Terms are UTF-8 byte strings, so a match can only start on a character boundary if the term does: all terms are
/// whole UTF-8 sequences, and valid UTF-8 never has a sequence start inside another character.
public struct AhoCorasick: Sendable {
  /// A match: which pattern, and where it ends (exclusive) in the scanned bytes.
  public struct Match: Sendable, Equatable {
    public var pattern: Int32
    public var end: Int32
  }

  private let table: [Int32]
  /// Patterns recognised on entering state `s` are `outputPatterns[outputStart[s]..<outputStart[s + 1]]` (its own
  /// plus its dictionary suffixes'), flattened so the scan loop touches no nested arrays.
  private let outputStart: [Int32]
  private let outputPatterns: [Int32]
  public let patternLengths: [Int32]

  public init(patterns: [[UInt8]]) {
    var children: [[UInt8: Int32]] = [[:]]
    var own: [[Int32]] = [[]]
    for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
      var state: Int32 = 0
      for byte in pattern {
        if let next = children[Int(state)][byte] {
          state = next
        } else {
          children.append([:])
          own.append([])
          let next = Int32(children.count - 1)
          children[Int(state)][byte] = next
          state = next
        }
      }
      own[Int(state)].append(Int32(index))
    }
    let stateCount = children.count
    var table = [Int32](repeating: 0, count: stateCount * 256)
    var fail = [Int32](repeating: 0, count: stateCount)
    var outputs = own
    var queue: [Int32] = []
    for (byte, child) in children[0] {
      table[Int(byte)] = child
      queue.append(child)
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      outputs[Int(state)] += outputs[Int(fail[Int(state)])]
      for byte in 0..<256 {
        let transition = Int(state) * 256 + byte
        if let child = children[Int(state)][UInt8(byte)] {
          fail[Int(child)] = table[Int(fail[Int(state)]) * 256 + byte]
          table[transition] = child
          queue.append(child)
        } else {
          table[transition] = table[Int(fail[Int(state)]) * 256 + byte]
        }
      }
    }
    self.table = table
    var starts: [Int32] = [0]
    var flat: [Int32] = []
    for patterns in outputs {
      flat += patterns
      starts.append(Int32(flat.count))
    }
    outputStart = starts
    outputPatterns = flat
    self.patternLengths = patterns.map { Int32($0.count) }
  }

  /// Every occurrence of every pattern in `bytes`, overlapping ones included, in order of their end.
  public func matches(in bytes: [UInt8]) -> [Match] {
    var found: [Match] = []
    table.withUnsafeBufferPointer { table in
      outputStart.withUnsafeBufferPointer { starts in
        bytes.withUnsafeBufferPointer { bytes in
          var state = 0
          for index in 0..<bytes.count {
            state = Int(table[state &* 256 &+ Int(bytes[index])])
            let from = Int(starts[state])
            let to = Int(starts[state &+ 1])
            if from != to {
              for output in from..<to {
                found.append(Match(pattern: outputPatterns[output], end: Int32(index + 1)))
              }
            }
          }
        }
      }
    }
    return found
  }
}
