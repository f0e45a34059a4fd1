/**
 * What every venue shares: the {@link io.loom.connectors.feed.VenueFeed} contract (a venue's
 * decoder, book sync and checks as a passive state machine that live sessions and offline
 * verification drive the same way), its {@link io.loom.connectors.feed.FeedCounters}, the
 * zero-allocation {@link io.loom.connectors.feed.SymbolIndex} decoders look symbols up with, and
 * the {@link io.loom.connectors.feed.InlineEventPublisher} that runs a feed without a ring.
 */
package io.loom.connectors.feed;
