/**
 * Example: a backtest-style replay, a toy strategy deciding on a timer of the pipeline's clock,
 * which a replay sets to recorded time ({@link io.loom.examples.backtest.BacktestExample}).
 */
package io.loom.examples.backtest;
