/**
 * Kraken spot WebSocket feeds: {@link io.loom.connectors.kraken.KrakenV1Feed} (API v1, the
 * {@code book-<depth>} and {@code trade} channels of the bundled recordings) and
 * {@link io.loom.connectors.kraken.KrakenV2Feed} (API v2, {@code book} and {@code trade}), each a
 * {@link io.loom.connectors.feed.VenueFeed} that decodes frames without allocating, keeps a
 * replica of every book truncated to the subscribed depth and verifies Kraken's CRC32
 * ({@link io.loom.connectors.kraken.KrakenBookChecksum}) after every update.
 *
 * <pre>
 *   frame ──▶ KrakenV1Feed (book messages: KrakenV1BookDecoder) / KrakenV2Feed ──decode──▶ KrakenLevels (scratch)
 *                                                     │
 *                                                     ▼
 *                          KrakenBookSync: apply to the replica, truncate, CRC32 check
 *                                                     │
 *                     claim(n) ──▶ BOOK_LEVEL… [+ STATUS STALE + requestResync on a mismatch]
 * </pre>
 */
package io.loom.connectors.kraken;
