/// The rulesets compiled into the binary: `rulesets/*.yml` as they were at build time (the BuiltinRulesets plugin
/// writes `files`). They are the default rules, so an installed or copied `auditor` needs no rulesets folder.
///
/// `--rules builtin` (or `builtin` in a configuration's `rulesets`) names them next to other ruleset files.
/// They are loaded under the names `rulesets/<file>.yml`, so an error in one points at the file to fix.
public enum BuiltinRulesets {
  /// One embedded ruleset file.
  public struct File: Sendable {
    /// The file name in `rulesets/`, e.g. `advertising-law.yml`.
    public let name: String
    /// The file's text, unchanged.
    public let yaml: String
  }

  /// The word that stands for the built-in rulesets where ruleset paths are given.
  public static let name = "builtin"

  /// Where a built-in file's rules are reported from: the file in the checkout that holds it.
  static func displayPath(of file: File) -> String { "rulesets/\(file.name)" }
}
