import Foundation
import PostgresNIO

/// A `--db postgres://USER[:PASS]@HOST[:PORT]/DBNAME` address, with the password found the way `psql` finds it:
/// in the URL, else `PGPASSWORD`, else `~/.pgpass` (or `PGPASSFILE`). The password is kept out of `description`,
/// which is what logs, reports and `auditor runs` print.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
  public var user: String
  public var host: String
  public var port: Int
  public var database: String
  var password: String?
  /// `sslmode` from the query string: `disable`, `prefer` (the default, as libpq's) or `require`.
  public var sslMode: String

  /// Whether `--db` names a PostgreSQL database rather than a SQLite file.
  public static func isPostgres(_ db: String) -> Bool {
    db.hasPrefix("postgres://") || db.hasPrefix("postgresql://")
  }

  /// Parses `text`; `environment` and `home` are parameters so tests need not touch the process's.
  public init(
    _ text: String, environment: [String: String] = ProcessInfo.processInfo.environment,
    home: String = NSHomeDirectory()
  ) throws {
    guard Self.isPostgres(text), let components = URLComponents(string: text), let host = components.host,
      !host.isEmpty
    else {
      throw PostgresURLError("expected postgres://USER[:PASS]@HOST[:PORT]/DBNAME")
    }
    let path = components.percentEncodedPath.dropFirst()
    guard let user = components.user, !user.isEmpty, !path.isEmpty, !path.contains("/") else {
      throw PostgresURLError("expected postgres://USER[:PASS]@HOST[:PORT]/DBNAME (a user and a database name)")
    }
    self.user = user
    self.host = host
    port = components.port ?? 5432
    database = path.removingPercentEncoding ?? String(path)
    sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
    guard ["disable", "prefer", "require"].contains(sslMode) else {
      throw PostgresURLError("sslmode must be disable, prefer or require, not \(sslMode)")
    }
    password =
      components.password ?? environment["PGPASSWORD"]
      ?? Self.passFile(environment["PGPASSFILE"] ?? home + "/.pgpass", host: host, port: port, database: database,
        user: user)
  }

  /// The address without its password.
  public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

  /// The first matching line of a `.pgpass` file (`host:port:database:user:password`, `*` matches anything, `\:`
  /// and `\\` are escapes), as libpq reads it; nil when there is no file or no line matches.
  static func passFile(_ path: String, host: String, port: Int, database: String, user: String) -> String? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
      var fields: [String] = [""]
      var escaped = false
      for character in line {
        if escaped {
          fields[fields.count - 1].append(character)
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == ":" && fields.count < 5 {
          fields.append("")
        } else {
          fields[fields.count - 1].append(character)
        }
      }
      guard fields.count == 5 else { continue }
      let wanted = [host, String(port), database, user]
      if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
    }
    return nil
  }

  /// The connection settings postgres-nio takes.
  func configuration() throws -> PostgresConnection.Configuration {
    let tls: PostgresConnection.Configuration.TLS
    switch sslMode {
    case "disable": tls = .disable
    case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
    default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
    }
    return PostgresConnection.Configuration(
      host: host, port: port, username: user, password: password, database: database, tls: tls)
  }
}

/// A `--db` value that is not a usable PostgreSQL address.
public struct PostgresURLError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
