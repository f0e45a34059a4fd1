/**
 * The journal: every inbound frame and lifecycle record of a pipeline's connections in a Chronicle
 * Queue, and the ways back out of it.
 *
 * <pre>
 *   reactor (fibers) ──append──▶ JournalWriter ring ──journal thread──▶ JournalAppender ──▶ Chronicle Queue (one directory per pipeline)
 *                                                                                               │
 *   capture.gz ──JournalTransfer.importCapture──▶ JournalAppender ─────────────────────────────┤
 *   capture.gz ◀──JournalTransfer.exportCapture── JournalReader ◀───────────────────────────────┤
 *   replay     ◀──RecordCursor (JournalReader, or CaptureRecordCursor over a text capture) ◀────┘
 *   loom inspect ◀── JournalInspector
 * </pre>
 *
 * <p>A journal holds the records of the text capture format ({@code data/FORMAT.md}) in binary
 * form, in batches of records per excerpt (older journals: one record per excerpt; both read alike,
 * see {@link io.loom.runtime.journal.JournalRecordDescriptor}), so a capture imported and exported
 * again is the same text byte for byte. Chronicle's usage analytics
 * stay off: every launcher sets {@code -Dchronicle.analytics.disable=true}.
 */
package io.loom.runtime.journal;
