import Foundation
import Yams

/// Strict reading of a YAML mapping: known keys only, typed values, and every error with its line.
struct YAMLFields {
  let file: String
  let node: Node
  let context: String
  private(set) var pairs: [String: Node] = [:]
  var errors: [RulesetError] = []
  /// The named word lists a string list may use (`'{condition}'`), expanded as it is read.
  let vocabularies: Vocabularies

  /// Reads `node` as a mapping whose keys must all be in `allowed`.
  init(_ node: Node, file: String, context: String, allowed: Set<String>, vocabularies: Vocabularies = Vocabularies()) {
    self.file = file
    self.node = node
    self.context = context
    self.vocabularies = vocabularies
    guard let mapping = node.mapping else {
      errors.append(error(at: node, "\(context) must be a mapping"))
      return
    }
    for (key, value) in mapping {
      guard let name = key.string else {
        errors.append(error(at: key, "\(context) has a key that is not a string"))
        continue
      }
      if allowed.contains(name) {
        pairs[name] = value
      } else {
        errors.append(
          error(at: key, "unknown key '\(name)' in \(context) (expected one of: \(allowed.sorted().joined(separator: ", ")))"))
      }
    }
  }

  var line: Int { node.mark?.line ?? 0 }

  func error(at node: Node?, _ message: String) -> RulesetError {
    RulesetError(file: file, line: node?.mark?.line ?? self.node.mark?.line ?? 0, message: message)
  }

  func has(_ key: String) -> Bool { pairs[key] != nil }
  func node(_ key: String) -> Node? { pairs[key] }

  mutating func string(_ key: String, required: Bool = false) -> String? {
    guard let value = pairs[key] else {
      if required { errors.append(error(at: nil, "\(context) is missing '\(key)'")) }
      return nil
    }
    guard let scalar = value.scalar else {
      errors.append(error(at: value, "'\(key)' in \(context) must be a string"))
      return nil
    }
    let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
    if required && text.isEmpty { errors.append(error(at: value, "'\(key)' in \(context) is empty")) }
    return text
  }

  mutating func strings(_ key: String) -> [String] {
    guard let value = pairs[key] else { return [] }
    if let scalar = value.scalar {
      switch vocabularies.expand(scalar.string, asPattern: Vocabularies.patternKeys.contains(key)) {
      case .success(let expanded): return expanded
      case .failure(let failure):
        errors.append(error(at: value, "'\(key)' in \(context): \(failure.message)"))
        return []
      }
    }
    guard let sequence = value.sequence else {
      errors.append(error(at: value, "'\(key)' in \(context) must be a list of strings"))
      return []
    }
    var result: [String] = []
    for item in sequence {
      guard let scalar = item.scalar, !scalar.string.isEmpty else {
        errors.append(error(at: item, "'\(key)' in \(context) must hold non-empty strings"))
        continue
      }
      switch vocabularies.expand(scalar.string, asPattern: Vocabularies.patternKeys.contains(key)) {
      case .success(let expanded): result += expanded
      case .failure(let failure): errors.append(error(at: item, "'\(key)' in \(context): \(failure.message)"))
      }
    }
    return result
  }

  mutating func bool(_ key: String) -> Bool? {
    guard let value = pairs[key] else { return nil }
    guard let bool = value.bool else {
      errors.append(error(at: value, "'\(key)' in \(context) must be true or false"))
      return nil
    }
    return bool
  }

  mutating func int(_ key: String) -> Int? {
    guard let value = pairs[key] else { return nil }
    guard let int = value.int else {
      errors.append(error(at: value, "'\(key)' in \(context) must be an integer"))
      return nil
    }
    return int
  }

  mutating func nested(_ key: String, allowed: Set<String>) -> YAMLFields? {
    guard let value = pairs[key] else { return nil }
    let nested = YAMLFields(
      value, file: file, context: "'\(key)' of \(context)", allowed: allowed, vocabularies: vocabularies)
    return nested
  }

  /// Folds a nested reader's errors into this one.
  mutating func absorb(_ other: YAMLFields) { errors += other.errors }
}
