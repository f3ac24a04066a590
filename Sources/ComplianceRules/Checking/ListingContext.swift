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
  let hitsBySet: [[TermIndex.Hit]]

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
    self.hitsBySet = index.hits(in: normalized)
  }

  /// Hits of one registered word list, in block order.
  public func hits(_ set: TermIndex.SetID) -> [TermIndex.Hit] { hitsBySet[set.raw] }

  /// The blocks holding a word of the list, each once, in order (the hits come in block order).
  public func blocks(withHitsOf set: TermIndex.SetID) -> [Int] {
    var blocks: [Int] = []
    for hit in hitsBySet[set.raw] where blocks.last != hit.block { blocks.append(hit.block) }
    return blocks
  }

  /// Whether a block is in one of the scopes (an empty list means every scope).
  public func block(_ index: Int, isIn scopes: Set<Scope>) -> Bool {
    scopes.isEmpty || scopes.contains(blocks[index].scope)
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
