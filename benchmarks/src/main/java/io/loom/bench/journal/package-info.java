/**
 * Journal and replay: recorded sessions replayed through the venue feeds into the order-book stage
 * on one core, with and without the journal tap appending every record; and what the journal's
 * write path costs per record (JMH: {@code JournalAppendLatency}; thread CPU, page faults and commit
 * stalls: {@code JournalAppenderCommitCpuAndStall}).
 */
package io.loom.bench.journal;
