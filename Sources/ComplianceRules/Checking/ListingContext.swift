import Foundation
import ListingParser

/// Everything the rules may look at for one listing, prepared once and shared by all rules.
public struct ListingContext: Sendable {
  public let listing: Listing
  /// The detail page, when it could be read.
  public let page: PageDocument?
  /// Feed fields, the feed description and the detail page, as text blocks.
  public let blocks: [TextBlock]
  /// `normalized[i]` is `blocks[i]` as the rules match it.
  public let normalized: [NormalizedText]
  /// JSON-LD offers from the page and the feed description.
  public let offers: [PageDocument.Offer]
  /// HTML comments of the page and the description (suppressions).
  public let comments: [PageDocument.Comment]
  /// Hits in the blocks a shopper sees, and in all blocks (scope `hidden` too) for the rules that name it.
  let hitsBySet: [[TermIndex.Hit]]
  let allHitsBySet: [[TermIndex.Hit]]
  /// By `TermIndex.CategoriesID`: whether the listing's category path holds an entry of the list, found by one scan
  /// of the path for every rule and goods definition that asks (searching it for each entry of each was 1.4 % of a
  /// run).
  private let categoriesMentioned: [Bool]
  /// By `TermIndex.GoodsID`: whether the listing is those goods, decided once from the hits for every rule asking.
  private var goodsHeld: [Bool] = []

  public init(listing: Listing, page: PageDocument?, description: PageDocument?, index: TermIndex) {
    self.listing = listing
    self.page = page
    var blocks = listing.feedBlocks()
    if let description { blocks += description.blocks }
    if let page { blocks += page.blocks }
    self.blocks = blocks
    let normalized = blocks.map { NormalizedText(utf8: $0.utf8) }
    self.normalized = normalized
    self.offers = (description?.offers ?? []) + (page?.offers ?? [])
    self.comments = (description?.comments ?? []) + (page?.comments ?? [])
    let hits = index.hits(in: normalized, visible: blocks.map(\.scope.isVisible))
    allHitsBySet = hits.all
    hitsBySet = hits.visible
    categoriesMentioned = index.categoryListsMentioned(in: listing.category)
    goodsHeld = index.goods.map { $0.holds(for: self) }
  }

  /// Whether the listing's category path holds an entry of a registered list.
  func categoryMentions(_ list: TermIndex.CategoriesID) -> Bool { categoriesMentioned[list.raw] }

  /// Whether the listing is the goods a registered definition describes (food, say).
  func isGoods(_ goods: TermIndex.GoodsID) -> Bool { goodsHeld[goods.raw] }

  /// Hits of one registered word list in the blocks a shopper sees, in block order; `includingHidden` adds those
  /// in scope `hidden`.
  public func hits(_ set: TermIndex.SetID, includingHidden: Bool = false) -> [TermIndex.Hit] {
    includingHidden ? allHitsBySet[set.raw] : hitsBySet[set.raw]
  }

  /// The visible blocks holding a word of the list, each once, in order (the hits come in block order).
  public func blocks(withHitsOf set: TermIndex.SetID) -> [Int] {
    var blocks: [Int] = []
    for hit in hitsBySet[set.raw] where blocks.last != hit.block { blocks.append(hit.block) }
    return blocks
  }

  /// Whether a block is in one of the scopes. An empty list means every scope the page displays: text in scope
  /// `hidden` or `jsonld` (data for search engines) is read only by a rule that names it.
  public func block(_ index: Int, isIn scopes: Set<Scope>) -> Bool {
    scopes.isEmpty ? isDisplayed(index) : scopes.contains(blocks[index].scope)
  }

  /// Whether a shopper can see the block's text (it is not in scope `hidden`).
  public func isVisible(_ index: Int) -> Bool { blocks[index].scope.isVisible }

  /// Whether the block is displayed on the page or in the feed's shopper-facing fields: visible and not JSON-LD.
  /// A licence or a registration number counts as shown only there.
  public func isDisplayed(_ index: Int) -> Bool {
    let scope = blocks[index].scope
    return scope.isVisible && scope != .jsonld
  }

  /// The merchant's original text behind a normalised range of a block, and where it starts.
  public func original(block index: Int, start: Int, end: Int) -> (text: String, location: SourceLocation) {
    let block = blocks[index]
    let range = normalized[index].originalRange(start, end)
    let lower = min(range.lowerBound, block.utf8.count)
    let upper = min(range.upperBound, block.utf8.count)
    return (String(decoding: block.utf8[lower..<upper], as: UTF8.self), block.location(atUTF8Offset: lower))
  }

  /// Where a listing-level finding points: the feed record.
  public var recordLocation: SourceLocation { listing.source }
}
