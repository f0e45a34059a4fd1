/**
 * Binance decoding benchmarks: the {@code BinanceFeed} and its decoder against Jackson's streaming
 * parser over recorded depthUpdate frames.
 */
package io.loom.bench.binance;
