import XCTest

@testable import PostgresStore

/// `--db postgres://…`: the parts, where the password may come from, and that it is never printed.
final class PostgresURLTests: XCTestCase {
  func testTheAddressIsReadAndItsPasswordNeverPrinted() throws {
    let url = try PostgresURL("postgres://audit:s3cr%40t@db.example:6543/catalogue", environment: [:], home: "/none")
    XCTAssertEqual([url.user, url.host, url.database], ["audit", "db.example", "catalogue"])
    XCTAssertEqual(url.port, 6543)
    XCTAssertEqual(url.password, "s3cr@t")
    XCTAssertEqual(url.description, "postgres://audit@db.example:6543/catalogue")
    XCTAssertFalse("\(url)".contains("s3cr"))
  }

  func testThePasswordComesFromPGPASSWORDThenPgpass() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try """
      # host:port:database:user:password
      other:5432:*:audit:wrong
      db.example:*:catalogue:audit:from\\:pgpass
      """.write(to: folder.appendingPathComponent(".pgpass"), atomically: true, encoding: .utf8)
    let address = "postgresql://audit@db.example/catalogue"
    XCTAssertEqual(try PostgresURL(address, environment: [:], home: folder.path).password, "from:pgpass")
    XCTAssertEqual(try PostgresURL(address, environment: ["PGPASSWORD": "env"], home: folder.path).password, "env")
    let nobody = "postgres://nobody@db.example/catalogue"
    XCTAssertNil(try PostgresURL(nobody, environment: [:], home: folder.path).password)
    XCTAssertEqual(try PostgresURL(address, environment: [:], home: folder.path).port, 5432)
  }

  func testAnAddressWithoutUserOrDatabaseIsRefused() {
    for bad in ["postgres://db.example/catalogue", "postgres://audit@db.example", "postgres://audit@db/a/b",
      "audit.sqlite", "postgres://audit@db/x?sslmode=sometimes"]
    {
      XCTAssertThrowsError(try PostgresURL(bad, environment: [:], home: "/none"), bad)
    }
  }
}
