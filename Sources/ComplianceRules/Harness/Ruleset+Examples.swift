/// Loading checks every rule's examples: a rule whose failing example does not fire, or whose passing example
/// does, is a ruleset error. The examples run through `ExampleRunner`, so the check lives here, beside it, and the
/// ruleset parser does not depend on the harness.
extension Ruleset {
  /// Loads every `*.yml` in `paths` (files or folders; `builtin` for the rulesets compiled in) plus the coded
  /// rules, and checks that each rule's examples behave. Throws `RulesetErrors` listing every problem with file:line.
  public static func load(paths: [String], validateExamples: Bool = true) throws -> Ruleset {
    try load(paths: paths, builtin: BuiltinRulesets.files, validateExamples: validateExamples)
  }

  /// `load(paths:)` with the files `builtin` stands for given (a test's, or the compiled-in ones).
  static func load(paths: [String], builtin: [BuiltinRulesets.File], validateExamples: Bool) throws -> Ruleset {
    let set = try loadSkippingExamples(paths: paths, builtin: builtin)
    if validateExamples {
      let failures = ExampleRunner(ruleSet: set).misbehavingExamples()
      if !failures.isEmpty { throw RulesetErrors(failures) }
    }
    return set
  }
}
