/**
 * Publish-to-consume throughput of the Loom pipeline against a raw LMAX Disruptor with the same
 * wait strategy and against {@link java.util.concurrent.ArrayBlockingQueue} hand-offs, for one
 * consumer, a chain of three and a diamond. Benchmarks are named topology + metric, their methods
 * by mechanism ({@code OneToThreeDiamondThroughputBenchmark.loomPipeline}).
 */
package io.loom.bench.pipeline;
