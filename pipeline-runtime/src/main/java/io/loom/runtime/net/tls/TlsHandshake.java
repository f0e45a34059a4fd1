package io.loom.runtime.net.tls;

import io.loom.api.fiber.NanoClock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.IOException;

/**
 * The opening TLS handshake of a {@link TlsTransport}, driven by the engine's handshake status
 * until it is finished or the deadline passes.
 *
 * <pre>
 *   beginHandshake (off reactor) ─▶ NEED_WRAP   ─▶ wrap + send
 *                                   NEED_UNWRAP ─▶ unwrap; no whole record: read, at most until the deadline
 *                                   NEED_TASK   ─▶ delegated tasks (off reactor), the fiber parks
 *                                   FINISHED / NOT_HANDSHAKING ─▶ done
 * </pre>
 *
 * <p>On an engine failure the alert it queued is sent to the peer before the failure is reported
 * as a {@link TlsHandshakeException}.
 *
 * <p>Thread-safety: runs on the fiber that owns the transport.
 */
final class TlsHandshake
{
    private static final String AWAITING_SERVER = "waiting for the server's handshake messages";

    private TlsHandshake()
    {
    }

    /**
     * Runs the handshake to its end.
     *
     * @throws TlsHandshakeException on timeout, an engine failure or an early close by the peer.
     * @throws IOException           if the TCP transport fails.
     * @throws InterruptedException  if the fiber is interrupted.
     */
    static void run(
        final SSLEngine engine,
        final TlsRecordLayer records,
        final TlsEngineTasks tasks,
        final NanoClock clock,
        final String peer,
        final long timeoutNs) throws IOException, InterruptedException
    {
        final long startNs = clock.nanoTime();
        final long deadlineNs = startNs + timeoutNs < startNs ? Long.MAX_VALUE : startNs + timeoutNs;
        try
        {
            if (!tasks.beginHandshake(deadlineNs - clock.nanoTime()))
            {
                throw TlsHandshakeException.timeout(peer, timeoutNs, "beginning the handshake");
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING)
            {
                status = switch (status)
                {
                    case NEED_WRAP -> wrap(records, peer);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap(engine, records, clock, peer, deadlineNs, timeoutNs);
                    case NEED_TASK ->
                    {
                        if (!tasks.run(deadlineNs - clock.nanoTime()))
                        {
                            throw TlsHandshakeException.timeout(peer, timeoutNs, "waiting for the TLS engine's delegated tasks");
                        }
                        yield engine.getHandshakeStatus();
                    }
                    default -> throw new IllegalStateException("unexpected handshake status " + status);
                };
            }
        }
        catch (final SSLException ex)
        {
            records.sendPendingQuietly(); // the engine queued an alert: tell the peer why
            throw TlsHandshakeException.of(peer, ex);
        }
        records.fitSession();
    }

    private static HandshakeStatus wrap(final TlsRecordLayer records, final String peer)
        throws IOException, InterruptedException
    {
        final SSLEngineResult result = records.wrapHandshake();
        if (result.getStatus() == SSLEngineResult.Status.CLOSED)
        {
            throw TlsHandshakeException.peerClosed(peer, null);
        }
        return result.getHandshakeStatus();
    }

    private static HandshakeStatus unwrap(
        final SSLEngine engine,
        final TlsRecordLayer records,
        final NanoClock clock,
        final String peer,
        final long deadlineNs,
        final long timeoutNs) throws IOException, InterruptedException
    {
        final SSLEngineResult result = records.unwrap();
        final HandshakeStatus after = result.getHandshakeStatus();
        if (after == HandshakeStatus.FINISHED || after == HandshakeStatus.NOT_HANDSHAKING)
        {
            return after; // BoringSSL may finish a TLS 1.2 handshake on an unwrap that reports BUFFER_UNDERFLOW
        }
        switch (result.getStatus())
        {
            case OK ->
            {
                if (result.bytesConsumed() > 0 || result.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP)
                {
                    return result.getHandshakeStatus();
                }
            }
            case CLOSED -> throw TlsHandshakeException.peerClosed(peer, null);
            default ->
            {
                // BUFFER_UNDERFLOW: no whole record yet, read below
            }
        }
        final long remainingNs = deadlineNs - clock.nanoTime();
        final int bytesRead = remainingNs <= 0 ? 0 : records.read(remainingNs);
        if (bytesRead == 0)
        {
            throw TlsHandshakeException.timeout(peer, timeoutNs, AWAITING_SERVER);
        }
        if (bytesRead < 0)
        {
            throw TlsHandshakeException.peerClosed(peer, null);
        }
        return engine.getHandshakeStatus();
    }
}
