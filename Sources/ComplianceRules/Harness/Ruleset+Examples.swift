/// Loading checks every rule's examples: a rule whose failing example does not fire, or whose passing example
/// does, is a ruleset error. The examples run through `ExampleRunner`, so the check lives here, beside it, and the
/// ruleset parser does not depend on the harness.
extension Ruleset {
  /// Which rules' examples `load` runs before it returns.
  public enum ExampleCheck: Sendable {
    /// Every rule's: the test suite and `auditor test-rules`.
    case all
    /// Only those of rules read from other files than the ones compiled in (the built-in rulesets, a ruleset file
    /// with the same text as one, the coded rules): the test suite and `auditor test-rules` hold the compiled-in
    /// rules to their examples, and running their ~850 examples again cost every `check` ~1 billion instructions
    /// before it read a listing.
    case userFiles
    /// None: for code that loads rules to inspect them.
    case none
  }

  /// Loads every `*.yml` in `paths` (files or folders; `builtin` for the rulesets compiled in) plus the coded
  /// rules, and checks the examples `examples` names. Throws `RulesetErrors` listing every problem with file:line.
  public static func load(paths: [String], examples: ExampleCheck = .all) throws -> Ruleset {
    try load(paths: paths, builtin: BuiltinRulesets.files, examples: examples)
  }

  /// `load(paths:)` with the files `builtin` stands for given (a test's, or the compiled-in ones).
  static func load(paths: [String], builtin: [BuiltinRulesets.File], examples: ExampleCheck) throws -> Ruleset {
    let (set, fromOtherFiles) = try loadSkippingExamples(paths: paths, builtin: builtin)
    let rules: [any Rule]
    switch examples {
    case .all: rules = set.rules
    case .userFiles: rules = set.rules.filter { fromOtherFiles.contains($0.description.id) }
    case .none: return set
    }
    let failures = ExampleRunner(ruleSet: set).misbehavingExamples(of: rules)
    if !failures.isEmpty { throw RulesetErrors(failures) }
    return set
  }
}
