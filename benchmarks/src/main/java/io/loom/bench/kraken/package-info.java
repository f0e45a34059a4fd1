/**
 * Kraken benchmarks: decoding the recorded v1 book session with Loom's feed and its
 * zero-allocation cursor, against Jackson's streaming parser over the same frames.
 */
package io.loom.bench.kraken;
