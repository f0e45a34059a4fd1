package io.loom.runtime.journal;

/**
 * The binary layout of one journal record: one Chronicle excerpt, little-endian.
 *
 * <pre>
 *   0      8     12     13      14 ............................ end of excerpt
 *   ├──────┼─────┼──────┼───────┼──────────────────────────────┤
 *   recv_ns conn  kind   venue   payload (the capture record's payload, byte for byte)
 *   int64   int32 int8   int8
 * </pre>
 *
 * <p>{@code kind} is a {@link io.loom.runtime.capture.CaptureRecordKind} ordinal (CONNECT 0, SEND 1,
 * WS 2, REST 3, DISCONNECT 4) or {@link #HEADER_KIND}: the capture header of the session that
 * follows (its {@code #} lines as text, each ending with a line feed), written when a writer opens
 * the queue. {@code venue} is a {@link JournalVenues} code.
 *
 * <p>Thread-safety: constants only.
 */
public final class JournalRecordDescriptor
{
    /** Offset of the receive time, ns since the epoch. */
    public static final int RECV_NS_OFFSET = 0;
    /** Offset of the connection number. */
    public static final int CONN_OFFSET = 8;
    /** Offset of the kind byte. */
    public static final int KIND_OFFSET = 12;
    /** Offset of the venue code byte. */
    public static final int VENUE_OFFSET = 13;
    /** Offset of the payload; also the length of the fixed fields. */
    public static final int PAYLOAD_OFFSET = 14;
    /** The kind byte of a header record. */
    public static final byte HEADER_KIND = 0x7F;

    private JournalRecordDescriptor()
    {
    }
}
