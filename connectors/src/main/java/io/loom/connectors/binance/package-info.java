/**
 * Binance spot, USD-M and COIN-M market data: {@link io.loom.connectors.binance.BinanceFeed}, the
 * venue's {@link io.loom.connectors.feed.VenueFeed} (decoder, snapshot + diff book sync per
 * {@link io.loom.connectors.binance.BinanceMarket}'s rule, bookTicker cross-check), and the
 * zero-allocation {@link io.loom.connectors.binance.BinanceMessageDecoder} it is built on.
 *
 * <pre>
 *   WS frame ─▶ BinanceMessageDecoder ─▶ BinanceBookSync (per instrument: DepthDiffBuffer, replica OrderBook,
 *   REST body ─┘                          BookTickerCheck) ─▶ BinanceEventWriter ─▶ EventPublisher
 * </pre>
 *
 * The live session (sockets, REST fetching, reconnects) lives elsewhere and drives the feed.
 */
package io.loom.connectors.binance;
