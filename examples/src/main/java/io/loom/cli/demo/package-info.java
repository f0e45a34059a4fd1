/**
 * {@code loom demo}: bundled real recordings served over {@code wss://} by loopback exchange
 * simulators, one pipeline of connector fibers journaling them and building books, a live view,
 * then each journal replayed and its digest checked against the live run
 * ({@link io.loom.cli.demo.DemoRun}); the stages it adds to the pipeline (a per-source filter, the
 * wire-to-book latency recorder) and its report.
 */
package io.loom.cli.demo;
