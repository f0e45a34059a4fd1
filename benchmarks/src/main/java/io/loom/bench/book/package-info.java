/**
 * Order-book level updates: Loom's {@link io.loom.runtime.book.OrderBook} against a
 * {@link java.util.TreeMap}-per-side book over the same pre-generated, realistic update stream.
 */
package io.loom.bench.book;
