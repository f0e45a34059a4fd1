/**
 * Journal and replay: recorded sessions replayed through the venue feeds into the order-book stage
 * on one core, with and without the journal tap appending every record.
 */
package io.loom.bench.journal;
