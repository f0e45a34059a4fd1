/**
 * The source SPI: what connectors and replay implement to publish events into a pipeline's ring
 * from fibers of the pipeline's reactor.
 */
package io.loom.api.source;
