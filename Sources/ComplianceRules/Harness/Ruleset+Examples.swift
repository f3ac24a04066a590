/// Loading checks every rule's examples: a rule whose failing example does not fire, or whose passing example
/// does, is a ruleset error. The examples run through `ExampleRunner`, so the check lives here, beside it, and the
/// ruleset parser does not depend on the harness.
extension Ruleset {
  /// Loads every `*.yml` in `paths` (files or folders; `builtin` for the rulesets compiled in) plus the coded
  /// rules, and checks that each rule's examples behave. Throws `RulesetErrors` listing every problem with file:line.
  ///
  /// With `compiledInExamples: false` only the examples of rules read from other files run: the rules compiled into
  /// the binary (the built-in rulesets, a ruleset file with the same text as one, the coded rules) are the ones the
  /// test suite and `auditor test-rules` hold to their examples, and running their ~850 examples again cost every
  /// `check` ~1 billion instructions before it read a listing.
  public static func load(
    paths: [String], validateExamples: Bool = true, compiledInExamples: Bool = true
  ) throws -> Ruleset {
    try load(
      paths: paths, builtin: BuiltinRulesets.files, validateExamples: validateExamples,
      compiledInExamples: compiledInExamples)
  }

  /// `load(paths:)` with the files `builtin` stands for given (a test's, or the compiled-in ones).
  static func load(
    paths: [String], builtin: [BuiltinRulesets.File], validateExamples: Bool, compiledInExamples: Bool = true
  ) throws -> Ruleset {
    let (set, fromOtherFiles) = try loadSkippingExamples(paths: paths, builtin: builtin)
    if validateExamples {
      let rules = compiledInExamples ? set.rules : set.rules.filter { fromOtherFiles.contains($0.description.id) }
      let failures = ExampleRunner(ruleSet: set).misbehavingExamples(of: rules)
      if !failures.isEmpty { throw RulesetErrors(failures) }
    }
    return set
  }
}
