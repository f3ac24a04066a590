/// The files of `Sources/ReviewServer/Web`, compiled in by the WebAssets plugin (`files` is generated), keyed by
/// their path under that folder.
enum WebAssets {
  /// The text of `path`; a missing asset is a build mistake, so it stops the server at start rather than serving
  /// an empty page.
  static func text(_ path: String) -> String {
    guard let text = files[path] else { preconditionFailure("no web asset \(path) in Sources/ReviewServer/Web") }
    return text
  }
}
