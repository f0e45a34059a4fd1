/**
 * Example: record a (simulated) live session into a journal from code, replay the journal, and
 * compare the two output digests ({@link io.loom.examples.recordreplay.RecordReplayExample}).
 */
package io.loom.examples.recordreplay;
