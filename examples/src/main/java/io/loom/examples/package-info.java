/**
 * Runnable examples, one idea per package, each a {@code main} on a bundled recorded session (no
 * network): {@link io.loom.examples.imbalance} a custom stage, {@link io.loom.examples.consolidated}
 * a best bid/offer across venues, {@link io.loom.examples.recordreplay} recording and replay from
 * code, {@link io.loom.examples.backtest} a strategy on recorded time. See {@code examples/README.md}.
 */
package io.loom.examples;
