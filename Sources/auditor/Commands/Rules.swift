import ArgumentParser
import ComplianceRules
import Foundation

/// `auditor rules`: the catalogue — id, area, severity, citation — and `auditor rules lint`.
struct Rules: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the rules: id, area, severity and the law each enforces.",
    subcommands: [List.self, Lint.self],
    defaultSubcommand: List.self
  )

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every rule (the default).")
    @OptionGroup var ruleOptions: RuleOptions
    @Option(help: "Only rules of this area.") var area: String?
    @Flag(help: "Show where each rule is defined instead of its citation: built-in, file or coded, with file:line.")
    var source = false

    func run() throws {
      let ruleSet = try ruleOptions.load()
      let rules = ruleSet.rules.map(\.description).filter { area == nil || $0.area.rawValue == area }
      let idWidth = rules.map(\.id.count).max() ?? 0
      let areaWidth = Area.allCases.map(\.rawValue.count).max() ?? 0
      let builtinFiles = Set(ruleSet.files.filter(\.isBuiltin).map(\.path))
      for rule in rules {
        let id = rule.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
        let area = rule.area.rawValue.padding(toLength: areaWidth, withPad: " ", startingAt: 0)
        let severity = rule.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        let detail = source ? Self.origin(of: rule, builtinFiles: builtinFiles) : rule.citation.description
        print("\(id)  \(area)  \(severity)  \(detail)")
      }
      print("\(rules.count) rules from \(ruleSet.files.count) ruleset files and \(ruleSet.rules.count - ruleSet.files.reduce(0) { $0 + $1.ruleCount }) coded rules")
    }

    /// `built-in rulesets/ecommerce-law.yml:12`, `file house-rules.yml:5` or `coded Sources/…/Rule.swift`.
    static func origin(of rule: RuleDescription, builtinFiles: Set<String>) -> String {
      let source = rule.source
      guard let colon = source.lastIndex(of: ":"), source[source.index(after: colon)...].allSatisfy(\.isNumber) else {
        // A coded rule's source is the Swift file it was compiled from; the checkout's folder above it says nothing.
        let path = source.range(of: "/Sources/").map { String(source[source.index(after: $0.lowerBound)...]) }
        return "coded     \(path ?? source)"
      }
      return (builtinFiles.contains(String(source[..<colon])) ? "built-in  " : "file      ") + source
    }
  }

  struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check ruleset files: keys, ids, citations, patterns, and that every example behaves.")
    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
      // A lint says every example behaves, so it runs them all, those of the rules compiled in too.
      let ruleSet = try ruleOptions.load(examples: .all)
      for file in ruleSet.files {
        print("ok  \(file.path)  \(file.regulation) (effective \(file.effective), version \(file.version)): \(file.ruleCount) rules")
      }
      let examples = ruleSet.rules.reduce(0) { $0 + $1.description.failingExamples.count + $1.description.passingExamples.count }
      print("\(ruleSet.rules.count) rules, \(examples) examples behave")
    }
  }
}
