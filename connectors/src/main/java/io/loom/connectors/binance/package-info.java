/**
 * Binance spot, USD-M and COIN-M market data: {@link io.loom.connectors.binance.BinanceFeed}, the
 * venue's {@link io.loom.connectors.feed.VenueFeed} (decoder, snapshot + diff book sync per
 * {@link io.loom.connectors.binance.BinanceMarket}'s rule, bookTickers published for the book stage
 * to check), and the
 * zero-allocation {@link io.loom.connectors.binance.BinanceMessageDecoder} it is built on.
 *
 * <pre>
 *   WS frame ─▶ BinanceMessageDecoder ─▶ BinanceBookSync (per instrument: DepthDiffBuffer, update-id rules)
 *   REST body ─┘                            ─▶ BinanceEventWriter ─▶ EventPublisher (levels, statuses, TOP_OF_BOOK, trades)
 * </pre>
 *
 * The live session (sockets, REST fetching, reconnects) lives elsewhere and drives the feed.
 */
package io.loom.connectors.binance;
