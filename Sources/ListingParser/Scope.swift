/// The part of a listing a text block was read from.
///
/// Rules use scopes to decide where they look: a price rule reads `price`, an advertising rule reads everything a
/// shopper sees. Scopes are open-ended strings so that a ruleset can name one this code does not know yet.
public struct Scope: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
  CustomStringConvertible
{
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public init(_ value: String) { self.rawValue = value }
  public var description: String { rawValue }

  public init(from decoder: Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }
  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  // Detail page (and HTML carried in the feed's `description`).
  public static let title: Scope = "title"
  public static let metaDescription: Scope = "meta.description"
  public static let body: Scope = "body"
  /// Text inside an element whose class or id says it is the selling price.
  public static let price: Scope = "price"
  /// Text inside `<del>`/`<s>`/`<strike>` or an element classed as an original/market price (划线价).
  public static let originalPrice: Scope = "price.original"
  /// Text inside `<nav>`: menu entries and links (`限时秒杀` as a menu item is not an offer).
  public static let navigation: Scope = "nav"
  public static let imgAlt: Scope = "img.alt"
  public static let jsonld: Scope = "jsonld"
  /// Text the page carries but a shopper does not see: an inert `<template>`, `<noscript>`, an element marked
  /// `hidden` or styled `display:none`/`visibility:hidden`, an HTML comment. Rules read it only when they name it
  /// (a licence kept there is not displayed); an empty scope list means every other scope.
  public static let hidden: Scope = "hidden"

  // Feed record fields.
  public static let feedTitle: Scope = "feed.title"
  public static let feedDescription: Scope = "feed.description"
  public static let feedCategory: Scope = "feed.category"
  public static let feedSeller: Scope = "feed.seller"
  public static let feedReturnPolicy: Scope = "feed.return_policy"
  /// The feed record as a whole (missing fields, prices, tiers).
  public static let feedRecord: Scope = "feed.record"

  /// False for text a shopper cannot see on the page (`hidden`).
  public var isVisible: Bool { self != .hidden }

  /// True for scopes read from the detail page (not from the feed record).
  public var isDetailPage: Bool { !rawValue.hasPrefix("feed.") }
}
