import ComplianceRules
import Foundation

/// A reviewer's decision as the API's JSON or a page's form gives it, checked before anything is written: a status
/// a reviewer may set, a reason, and for waivers a date that is real and not past.
struct DecisionInput {
  var status: FindingStatus
  var reason: String
  var until: String?

  /// What reviewers may set: `fixed` is `auditor`'s own verdict from a run.
  static let settable: [FindingStatus] = [.accepted, .waived, .falsePositive, .open]

  /// Throws 422 with what is wrong.
  init(status: String?, reason: String?, until: String?, today: String) throws {
    guard let status, let known = FindingStatus(rawValue: status), Self.settable.contains(known) else {
      throw Problem.invalid(
        "status must be one of \(Self.settable.map(\.rawValue).joined(separator: ", ")), not '\(status ?? "")'")
    }
    guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
      throw Problem.invalid("a decision needs a reason")
    }
    let until = until?.trimmingCharacters(in: .whitespaces)
    if let until, !until.isEmpty {
      do {
        try FindingsStore.validateWaiverDate(until, today: today)
      } catch let error as LifecycleError {
        throw Problem.invalid(error.description.replacingOccurrences(of: "--until", with: "until"))
      }
    } else if known == .waived {
      throw Problem.invalid("a waiver needs until (YYYY-MM-DD): the date after which the finding re-opens")
    }
    self.status = known
    self.reason = reason
    self.until = (until?.isEmpty ?? true) ? nil : until
  }

  /// From a JSON object; anything but a JSON object is 422 too.
  init(json object: [String: Any], today: String) throws {
    func string(_ key: String) throws -> String? {
      guard let value = object[key], !(value is NSNull) else { return nil }
      guard let text = value as? String else { throw Problem.invalid("\(key) must be a string") }
      return text
    }
    try self.init(status: string("status"), reason: string("reason"), until: string("until"), today: today)
  }
}
