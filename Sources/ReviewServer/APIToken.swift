import Crypto
import Foundation

/// API tokens: 32 random bytes as 64 hex digits, shown once; the store keeps only their SHA-256. A token has
/// enough entropy that a fast hash is safe (no password stretching needed), and a fast hash is what lets every
/// request be authenticated by one indexed lookup.
public enum APIToken {
  public static func generate() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
  }

  public static func hash(_ token: String) -> String {
    SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}
