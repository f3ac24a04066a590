import ArgumentParser
import ComplianceRules
import Foundation

/// Where the rulesets come from. Shared by every command that runs or lists rules.
///
/// The rulesets of `rulesets/` are compiled into the binary and are the default. `--rules PATH` replaces them, so a
/// run checks exactly the rules it names; `--rules builtin` names the compiled-in set, to add house rules to it
/// (`--rules builtin --rules house-rules.yml`). A file that is really called `builtin` is `./builtin`.
struct RuleOptions: ParsableArguments {
  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp(
      "A ruleset file or folder, or 'builtin' for the rulesets compiled in (repeatable). Replaces the default, "
        + "which is the built-in rulesets.",
      valueName: "path"))
  var rulesets: [String] = []

  /// The ruleset paths to load: the ones given, else the built-in set.
  var paths: [String] { rulesets.isEmpty ? [BuiltinRulesets.name] : rulesets }

  /// Loads the rules, or exits 2 with every ruleset error (file:line) before any input is read. The examples of
  /// rules from ruleset files of the user's run first; those of the rules compiled in only with `examples: .all`
  /// (`test-rules`): the test suite has run them on this very text.
  func load(examples: Ruleset.ExampleCheck = .userFiles) throws -> Ruleset {
    do {
      return try Ruleset.load(paths: paths, examples: examples)
    } catch let errors as RulesetErrors {
      FileHandle.standardError.write(Data(("ruleset errors:\n" + errors.description + "\n").utf8))
      throw ExitCode(2)
    }
  }
}
