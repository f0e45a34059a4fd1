/** Benchmarks of the example stages (io.loom.examples): the cost they add to the order-book stage per message. */
package io.loom.bench.examples;
