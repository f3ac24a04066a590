import Foundation
import PackagePlugin

/// Compiles the review service's `Web/` folder (Mustache templates, CSS, JavaScript, the OpenAPI document) into
/// the target, so `auditor serve` needs no files beside the binary wherever it is installed.
///
/// The files are the command's inputs: editing one regenerates the Swift source on the next build.
@main
struct WebAssetsPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let folder = target.directoryURL.appending(path: "Web")
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    var files: [URL] = []
    while let url = enumerator?.nextObject() as? URL {
      if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(url) }
    }
    files.sort { $0.path < $1.path }
    let output = context.pluginWorkDirectoryURL.appending(path: "WebAssets+Files.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(files.count) web assets into \(target.name)",
        executable: try context.tool(named: "EmbedWebAssets").url,
        arguments: [output.path, folder.path] + files.map(\.path),
        inputFiles: files,
        outputFiles: [output])
    ]
  }
}
