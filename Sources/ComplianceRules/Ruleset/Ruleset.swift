import Foundation
import ListingParser
import Yams

/// The rules of a run: coded rules plus those loaded from ruleset files, sharing one keyword index.
///
/// Built once, before any input is read, then shared read-only by every worker.
public struct Ruleset: Sendable {
  public let rules: [any Rule]
  public let index: TermIndex
  public let files: [RulesetLoader.FileInfo]

  /// Loads every `*.yml` in `paths` (files or folders; `builtin` stands for the files `builtin` holds) plus the
  /// coded rules, without running their examples (`load(paths:examples:)` in Harness/ does). Throws
  /// `RulesetErrors` listing every problem with file:line.
  ///
  /// Also returns the ids of the rules read from files that are not built in: neither `builtin` nor a file whose
  /// text is a built-in file's (`--rules rulesets` from the checkout the binary was built from). Only theirs are
  /// examples a run has not already seen pass (see `load(paths:examples:)`).
  static func loadSkippingExamples(
    paths: [String], builtin: [BuiltinRulesets.File]
  ) throws -> (ruleset: Ruleset, fromOtherFiles: Set<String>) {
    var errors: [RulesetError] = []
    var parsed: [RulesetLoader.Parsed] = []
    var files: [RulesetLoader.FileInfo] = []
    var fromOtherFiles: Set<String> = []
    let builtinTexts = Set(builtin.map(\.yaml))
    // Every file's vocabularies are read before any rule: a rule may use a list another file defines.
    var vocabularies = Vocabularies()
    var trees: [(file: String, yaml: String, root: Node, isBuiltin: Bool)] = []
    for path in paths {
      let texts: [(file: String, yaml: String?, isBuiltin: Bool)] =
        path == BuiltinRulesets.name
        ? builtin.map { (BuiltinRulesets.displayPath(of: $0), $0.yaml, true) }
        : rulesetFiles([path], errors: &errors).map { file in
          (file, FileManager.default.contents(atPath: file).flatMap { String(data: $0, encoding: .utf8) }, false)
        }
      for text in texts {
        guard let yaml = text.yaml else {
          errors.append(
            RulesetError(file: text.file, line: 0, message: "cannot read the ruleset file (missing, or not UTF-8)"))
          continue
        }
        guard let root = RulesetLoader.compose(yaml: yaml, file: text.file, errors: &errors) else { continue }
        RulesetLoader.readVocabularies(root, file: text.file, into: &vocabularies, errors: &errors)
        trees.append((text.file, yaml, root, text.isBuiltin))
      }
    }
    var goods: [String: Goods.Spec] = [:]
    for tree in trees {
      RulesetLoader.readGoods(tree.root, file: tree.file, vocabularies: vocabularies, into: &goods, errors: &errors)
    }
    for tree in trees {
      let (info, rules) = RulesetLoader.parse(
        root: tree.root, file: tree.file, vocabularies: vocabularies, goods: goods, errors: &errors)
      if var info {
        info.isBuiltin = tree.isBuiltin
        files.append(info)
      }
      if !tree.isBuiltin, !builtinTexts.contains(tree.yaml) { fromOtherFiles.formUnion(rules.map(\.description.id)) }
      parsed += rules
    }
    var builder = TermIndex.Builder()
    var rules: [any Rule] = CodedRules.make(&builder)
    var seen: [String: String] = Dictionary(uniqueKeysWithValues: rules.map { ($0.description.id, $0.description.source) })
    for item in parsed {
      if let first = seen[item.description.id] {
        errors.append(RulesetError(file: item.file, line: item.line, message: "duplicate rule id '\(item.description.id)' (first defined at \(first))"))
        continue
      }
      seen[item.description.id] = item.description.source
      do {
        rules.append(try item.make(&builder))
      } catch {
        errors.append(RulesetError(file: item.file, line: item.line, message: "rule '\(item.description.id)': \(error)"))
      }
    }
    guard errors.isEmpty else { throw RulesetErrors(errors) }
    rules.sort { $0.description.id < $1.description.id }
    return (Ruleset(rules: rules, index: builder.build(), files: files), fromOtherFiles)
  }

  /// The ruleset files named by `paths`: files as given, folders' `*.yml`/`*.yaml` sorted by name.
  static func rulesetFiles(_ paths: [String], errors: inout [RulesetError]) -> [String] {
    var files: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        errors.append(RulesetError(file: path, line: 0, message: "no such ruleset file or folder"))
        continue
      }
      if isDirectory.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        files += names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map {
          (path as NSString).appendingPathComponent($0)
        }
      } else {
        files.append(path)
      }
    }
    return files
  }

  public func rule(id: String) -> (any Rule)? { rules.first { $0.description.id == id } }

  /// A copy with only the enabled rules (the keyword index is shared; unused lists cost a little scanning).
  public func filtered(_ isEnabled: (RuleDescription) -> Bool) -> Ruleset {
    Ruleset(rules: rules.filter { isEnabled($0.description) }, index: index, files: files)
  }
}
