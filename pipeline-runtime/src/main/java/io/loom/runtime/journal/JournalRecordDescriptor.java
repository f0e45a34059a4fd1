package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.MutableDirectBuffer;

/**
 * The binary layout of the journal's Chronicle excerpts, little-endian. An excerpt holds either one
 * record or a batch of records; the kind byte at the same offset in both says which.
 *
 * <p>One record (a header record, or any record of a journal written before batches existed):
 *
 * <pre>
 *   0      8     12     13      14 ............................ end of excerpt
 *   ├──────┼─────┼──────┼───────┼──────────────────────────────┤
 *   recv_ns conn  kind   venue   payload (the capture record's payload, byte for byte)
 *   int64   int32 int8   int8
 * </pre>
 *
 * <p>A batch ({@code kind} {@link #BATCH_KIND}): the fixed fields carry the first record's receive
 * time and the number of records; each record follows as its length and then the one-record layout
 * above. A batch is one excerpt, so it is in the queue whole or not at all.
 *
 * <pre>
 *   0          8       12     13  14 ───────────────── record ─────────────────┬─ record ─┬ ...
 *   first      count   0x7E   0   │ length  recv_ns conn kind venue payload     │          │
 *   recv_ns    int32                int32   (length bytes: the one-record layout)
 * </pre>
 *
 * <p>{@code kind} is a {@link io.loom.runtime.capture.CaptureRecordKind} ordinal (CONNECT 0, SEND 1,
 * WS 2, REST 3, DISCONNECT 4), {@link #HEADER_KIND}: the capture header of the session that
 * follows (its {@code #} lines as text, each ending with a line feed), written when a writer opens
 * the queue, or {@link #BATCH_KIND}. {@code venue} is a {@link JournalVenues} code. Versions: a
 * journal of single-record excerpts (before session 5) reads as before; a reader older than
 * batches refuses a batch as a corrupt record of unknown kind 126.
 *
 * <p>Thread-safety: constants and a stateless helper.
 */
public final class JournalRecordDescriptor
{
    /** Offset of the receive time, ns since the epoch. */
    public static final int RECV_NS_OFFSET = 0;
    /** Offset of the connection number; in a batch, of the number of records. */
    public static final int CONN_OFFSET = 8;
    /** Offset of the kind byte. */
    public static final int KIND_OFFSET = 12;
    /** Offset of the venue code byte. */
    public static final int VENUE_OFFSET = 13;
    /** Offset of the payload; also the length of the fixed fields. In a batch, of the first record's length. */
    public static final int PAYLOAD_OFFSET = 14;
    /** Bytes of the length that precedes each record of a batch. */
    public static final int BATCHED_LENGTH_BYTES = 4;
    /** The kind byte of a header record. */
    public static final byte HEADER_KIND = 0x7F;
    /** The kind byte of a batch of records. */
    public static final byte BATCH_KIND = 0x7E;

    private JournalRecordDescriptor()
    {
    }

    /**
     * Writes a record's fixed fields in the one-record layout; its payload goes at {@code index + PAYLOAD_OFFSET}.
     *
     * @param buffer    where the record is.
     * @param index     where it starts.
     * @param recvNs    receive time, ns since the epoch.
     * @param conn      the connection number.
     * @param kind      the record's kind.
     * @param venueCode the venue's {@link JournalVenues} code.
     */
    static void putFields(
        final MutableDirectBuffer buffer, final int index, final long recvNs, final int conn, final CaptureRecordKind kind, final int venueCode)
    {
        buffer.putLong(index + RECV_NS_OFFSET, recvNs);
        buffer.putInt(index + CONN_OFFSET, conn);
        buffer.putByte(index + KIND_OFFSET, (byte)kind.ordinal());
        buffer.putByte(index + VENUE_OFFSET, (byte)venueCode);
    }
}
