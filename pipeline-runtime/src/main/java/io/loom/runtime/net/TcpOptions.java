package io.loom.runtime.net;

import java.util.concurrent.TimeUnit;

/**
 * Per-connection TCP settings of a {@link FiberTcpSocket} beyond {@code TCP_NODELAY} (always on).
 *
 * <p><b>Delayed ACKs</b> (off by default). A receive-only feed connection on Linux acks a pushed
 * segment inside the {@code read(2)} that drains it, and on loopback that ACK's delivery runs inside
 * the same call: benchmarks/README.md ("lat11", "lat12") measured the record's {@code read(2)} at several
 * µs, most of it that ACK. With delayed ACKs on, the socket is put in Linux's delayed-ACK ("pingpong")
 * mode ({@code TCP_QUICKACK} false, {@link jdk.net.ExtendedSocketOptions#TCP_QUICKACK}) once connected,
 * and again after a read that returned bytes when the last re-arm is {@link #delayedAckRearmNs()}
 * old or more: Linux leaves the mode by itself whenever its delayed-ACK timer fires, so setting it once
 * does not last. Where the option does not exist (not Linux) it is a no-op, logged once per connection.
 * Linux still acks every second full-sized segment, on arrival: on loopback that ACK runs before the socket
 * is reported readable, so the read gets shorter but the readiness later, with no net gain measured there
 * (README "lat12"); measure on the real network before turning it on.
 *
 * <p><b>The hazard, why it is opt-in.</b> A peer that sends without {@code TCP_NODELAY} (Nagle's
 * algorithm) holds a small segment back until its previous one is acked; with the ACK delayed, that is
 * up to the delayed-ACK timer (40 ms or more on Linux) per small message. Turn it on only for a peer
 * known to send with {@code TCP_NODELAY} (or in full segments), and measure.
 *
 * <p>Thread-safety: immutable.
 *
 * @param delayedAcks       true to keep the connection in delayed-ACK mode (Linux), false for the kernel's default.
 * @param delayedAckRearmNs with delayed ACKs: a read that returned bytes re-arms the mode when the last re-arm
 *                          is at least this old; 0 re-arms after every such read, {@link #ONCE} only at connect.
 */
public record TcpOptions(boolean delayedAcks, long delayedAckRearmNs)
{
    /** {@link #delayedAckRearmNs()}: set the mode once, when connected, and never re-arm it. */
    public static final long ONCE = Long.MAX_VALUE;
    /** The re-arm interval of {@link #withDelayedAcks()}: below Linux's shortest delayed-ACK timeout (40 ms). */
    public static final long DEFAULT_REARM_NS = TimeUnit.MILLISECONDS.toNanos(30);
    /** The kernel's defaults: ACKs as Linux sends them. */
    public static final TcpOptions DEFAULTS = new TcpOptions(false, 0);

    /** Validates. */
    public TcpOptions
    {
        if (delayedAckRearmNs < 0)
        {
            throw new IllegalArgumentException("delayed-ACK re-arm interval must be 0 or more: " + delayedAckRearmNs);
        }
    }

    /** @return delayed ACKs on, re-armed every {@link #DEFAULT_REARM_NS}. */
    public static TcpOptions withDelayedAcks()
    {
        return withDelayedAcks(DEFAULT_REARM_NS);
    }

    /**
     * @param rearmNs re-arm the mode after a read once the last re-arm is this old; 0 after every read, {@link #ONCE} never.
     * @return delayed ACKs on, re-armed so.
     */
    public static TcpOptions withDelayedAcks(final long rearmNs)
    {
        return new TcpOptions(true, rearmNs);
    }
}
