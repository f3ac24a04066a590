import Foundation

/// The browser sessions of this process: a random id in an HttpOnly, SameSite=Strict cookie, and a CSRF token the
/// pages put in every form. Kept in memory: a restart signs browsers out (API clients send their token each time),
/// and nothing secret ever reaches the database. The session holds the token's hash, not the user, so revoking the
/// user ends its sessions at their next request.
actor SessionStore {
  struct Session: Sendable {
    let id: String
    let tokenHash: String
    let csrfToken: String
    let expires: Date
  }

  static let cookieName = "auditor_session"
  /// A working day: long enough not to interrupt a review shift.
  static let lifetime: TimeInterval = 12 * 3600

  private var sessions: [String: Session] = [:]

  func create(tokenHash: String, now: Date = Date()) -> Session {
    sessions = sessions.filter { $0.value.expires > now }
    let session = Session(
      id: APIToken.generate(), tokenHash: tokenHash, csrfToken: APIToken.generate(),
      expires: now.addingTimeInterval(Self.lifetime))
    sessions[session.id] = session
    return session
  }

  func session(id: String, now: Date = Date()) -> Session? {
    guard let session = sessions[id], session.expires > now else { return nil }
    return session
  }

  func remove(id: String) {
    sessions[id] = nil
  }
}

/// Failed sign-ins per client address: after `limit` failures within `window`, further attempts from that address
/// are refused (429) until the oldest of them leaves the window, so a token cannot be guessed by trying.
actor LoginThrottle {
  let limit: Int
  let window: TimeInterval
  private var failures: [String: [Date]] = [:]

  init(limit: Int = 5, window: TimeInterval = 15 * 60) {
    self.limit = limit
    self.window = window
  }

  /// Seconds to wait before `address` may try again; nil when it may try now.
  func retryAfter(_ address: String, now: Date = Date()) -> Int? {
    let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
    failures[address] = recent.isEmpty ? nil : recent
    guard recent.count >= limit, let oldest = recent.first else { return nil }
    return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
  }

  func recordFailure(_ address: String, now: Date = Date()) {
    failures[address, default: []].append(now)
  }
}
