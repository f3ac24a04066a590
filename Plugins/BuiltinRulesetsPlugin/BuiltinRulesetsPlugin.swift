import Foundation
import PackagePlugin

/// Compiles `rulesets/*.yml` into the target, so the binary carries its default rules and runs from any folder.
///
/// The YAML files are the command's inputs: editing one regenerates the Swift source on the next build. The list of
/// files is read each time the build is planned, so a new ruleset file is picked up too.
@main
struct BuiltinRulesetsPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let folder = context.package.directoryURL.appending(path: "rulesets")
    let rulesets = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "yml" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinRulesets+Files.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(rulesets.count) rulesets into \(target.name)",
        executable: try context.tool(named: "EmbedRulesets").url,
        arguments: [output.path] + rulesets.map(\.path),
        inputFiles: rulesets,
        outputFiles: [output])
    ]
  }
}
