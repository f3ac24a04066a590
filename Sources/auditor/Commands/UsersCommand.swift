import ArgumentParser
import ComplianceRules
import Foundation
import ReviewServer

/// `auditor users`: who may use `auditor serve`, and their API tokens.
struct UsersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users",
    abstract: "Manage the users of `auditor serve`: add one (prints its token), list, revoke.",
    subcommands: [Add.self, List.self, Revoke.self],
    defaultSubcommand: List.self)

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add a user and print its new API token alone on stdout (only a hash of it is stored).")
    @OptionGroup var database: FindingsCommand.DatabaseOption
    @Argument(help: "The name decisions are recorded under.") var name: String
    @Option(help: "viewer (reads), reviewer (also decides) or admin (also manages users).") var role: String

    func validate() throws {
      guard ReviewRole(rawValue: role) != nil else {
        throw ValidationError("unknown role '\(role)' (viewer, reviewer, admin)")
      }
      guard !name.isEmpty, name.count <= 64, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
        throw ValidationError("a user name is 1 to 64 characters without spaces")
      }
    }

    func run() throws {
      let store = try StoreLocation.openForReview(database.db)
      let token = APIToken.generate()
      do {
        try store.addUser(name: name, role: ReviewRole(rawValue: role)!, tokenHash: APIToken.hash(token))
      } catch let error as ReviewError {
        throw ValidationError(error.description)
      }
      print(token)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List users (the default).")
    @OptionGroup var database: FindingsCommand.DatabaseOption

    func run() throws {
      let store = try StoreLocation.openForReviewReading(database.db)
      for user in try store.reviewUsers() {
        let state = user.revokedAt.map { "revoked \($0)" } ?? "active"
        print("\(user.name)  \(user.role.rawValue)  created \(user.createdAt)  \(state)")
      }
    }
  }

  struct Revoke: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke a user's token; its sessions end too.")
    @OptionGroup var database: FindingsCommand.DatabaseOption
    @Argument(help: "The user's name.") var name: String

    func run() throws {
      let store = try StoreLocation.openForReview(database.db)
      do {
        try store.revokeUser(name: name)
      } catch let error as ReviewError {
        throw ValidationError(error.description)
      }
      print("revoked \(name)")
    }
  }
}
