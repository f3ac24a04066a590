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
    var texts: [(file: String, yaml: String, isBuiltin: Bool)] = []
    for path in paths {
      if path == BuiltinRulesets.name {
        texts += builtin.map { (BuiltinRulesets.displayPath(of: $0), $0.yaml, true) }
        continue
      }
      for file in rulesetFiles([path], errors: &errors) {
        guard let yaml = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }) else {
          errors.append(RulesetError(file: file, line: 0, message: "cannot read the ruleset file (missing, or not UTF-8)"))
          continue
        }
        texts.append((file, yaml, false))
      }
    }
    // Composing and parsing run on all cores; what they report is added in file order, as read one by one.
    let composed = PerFile.map(texts.count) { index in
      var errors: [RulesetError] = []
      let root = RulesetLoader.compose(yaml: texts[index].yaml, file: texts[index].file, errors: &errors)
      return (root: root, errors: errors)
    }
    // Every file's vocabularies are read before any rule: a rule may use a list another file defines.
    var vocabularies = Vocabularies()
    var trees: [(file: String, yaml: String, root: Node, isBuiltin: Bool)] = []
    for (text, file) in zip(texts, composed) {
      errors += file.errors
      guard let root = file.root else { continue }
      RulesetLoader.readVocabularies(root, file: text.file, into: &vocabularies, errors: &errors)
      trees.append((text.file, text.yaml, root, text.isBuiltin))
    }
    var goods: [String: Goods.Spec] = [:]
    for tree in trees {
      RulesetLoader.readGoods(tree.root, file: tree.file, vocabularies: vocabularies, into: &goods, errors: &errors)
    }
    let parsedFiles = PerFile.map(trees.count) { index in
      var errors: [RulesetError] = []
      let (info, rules) = RulesetLoader.parse(
        root: trees[index].root, file: trees[index].file, vocabularies: vocabularies, goods: goods, errors: &errors)
      return (info: info, rules: rules, errors: errors)
    }
    for (tree, (info, rules, parseErrors)) in zip(trees, parsedFiles) {
      errors += parseErrors
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
