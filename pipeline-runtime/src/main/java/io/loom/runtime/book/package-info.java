/**
 * L2 order books: {@link io.loom.runtime.book.OrderBook}, an exact, allocation-free book of
 * {@code long} mantissas for one instrument, and {@link io.loom.runtime.book.OrderBookStage}, the
 * pipeline stage that keeps the books of all instruments from the ring's events and offers them
 * downstream as {@link io.loom.api.book.OrderBooks}.
 */
package io.loom.runtime.book;
