import ArgumentParser
import ComplianceRules
import Foundation

/// `auditor test-rules`: every rule's examples, then the annotated corpus with precision and recall per rule and area.
struct TestRules: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test-rules",
    abstract: "Run every rule's examples and the annotated corpus; print precision and recall per rule and area.")

  @OptionGroup var ruleOptions: RuleOptions

  @Option(help: ArgumentHelp("The annotated corpus folder.", valueName: "path"))
  var corpus: String = "corpus"

  func run() throws {
    let ruleSet = try ruleOptions.load(examples: .all)
    let examples = ruleSet.rules.reduce(0) { $0 + $1.description.failingExamples.count + $1.description.passingExamples.count }
    print("\(ruleSet.rules.count) rules: all \(examples) examples behave")
    guard FileManager.default.fileExists(atPath: corpus) else {
      throw ValidationError("no corpus at \(corpus): pass --corpus PATH")
    }
    let report = try CorpusRunner(checker: ListingChecker(ruleSet: ruleSet)).run(corpus: corpus)
    print(report.table)
    for failure in report.failures { print(failure) }
    for todo in report.todos { print(todo) }
    for alarm in report.unjudged { print(alarm) }
    if !report.failures.isEmpty { throw ExitCode(1) }
  }
}
