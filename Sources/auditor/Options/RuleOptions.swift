import ArgumentParser
import ComplianceRules
import Foundation

/// Where the rulesets come from. Shared by every command that runs or lists rules.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp(
      "A ruleset file or folder (repeatable). Default: ./rulesets, else the rulesets folder of the auditor checkout or install.",
      valueName: "path"))
  var rulesets: [String] = []

  /// Loads the rules, or exits 2 with every ruleset error (file:line) before any input is read.
  func load() throws -> RuleSet {
    let paths = rulesets.isEmpty ? [Self.defaultRulesetFolder()].compactMap { $0 } : rulesets
    guard !paths.isEmpty else {
      throw ValidationError("no rulesets found: pass --rules PATH (the auditor checkout has them in rulesets/)")
    }
    do {
      return try RuleSet.load(paths: paths)
    } catch let errors as RulesetErrors {
      FileHandle.standardError.write(Data(("ruleset errors:\n" + errors.description + "\n").utf8))
      throw ExitCode(2)
    }
  }

  /// `./rulesets`, else the first `rulesets` folder above the executable (a checkout's `.build/…/auditor`), else
  /// `<prefix>/share/auditor/rulesets` for an installed binary.
  static func defaultRulesetFolder() -> String? {
    let fileManager = FileManager.default
    let local = fileManager.currentDirectoryPath + "/rulesets"
    if hasRulesets(local) { return "rulesets" }
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      for candidate in [folder.appendingPathComponent("rulesets"), folder.appendingPathComponent("share/auditor/rulesets")]
      where hasRulesets(candidate.path) {
        return candidate.path
      }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }

  private static func hasRulesets(_ path: String) -> Bool {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).contains { $0.hasSuffix(".yml") }
  }
}
