import ArgumentParser
import ComplianceRules

@main
struct Auditor: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "auditor",
    abstract: "Checks Chinese e-commerce listings for legal and platform compliance.",
    version: "0.1.0"
  )
}
