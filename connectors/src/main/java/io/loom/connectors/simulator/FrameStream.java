package io.loom.connectors.simulator;

import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The exchange's one timeline: walks the capture's recorded WebSocket frames of conn 0 in order
 * and sends each to every subscribed connection that accepts it, applying the armed faults.
 *
 * <pre>
 *   kick ─▶ pump: paused? no subscriber? pace not due? ─▶ wait (timer / subscribe / writability)
 *                 └─▶ for up to BATCH frames: protocol.onFrame (reference state) ─▶ faults ─▶ write
 *                     └─▶ flush; more due ─▶ kick (lets client messages and REST in between)
 * </pre>
 *
 * <p>The stream stands still while no connection is subscribed, any subscribed connection is not
 * writable (a slow client slows the exchange, nothing is discarded), or the protocol holds it
 * before a recorded snapshot not asked for yet ({@link VenueProtocol#mayStream}); a new connection continues
 * from where the stream is. Paced: frame i is due at anchor + (recv_ns(i) - recv_ns(first)) / speed,
 * re-anchored after every stall so a pause shifts the rest of the session.
 *
 * <p>Thread-safety: not thread-safe; every method runs on the event loop, except
 * {@link #kickFromAnyThread()}.
 */
final class FrameStream
{
    private static final int BATCH = 256;

    private final Capture capture;
    private final int[] frames;
    private final VenueProtocol protocol;
    private final SimulatorFaults faults;
    private final SimulatorCounters counters;
    private final EventLoop eventLoop;
    private final double speed;
    private final FrameText text;
    private final List<SimulatorSession> sessions = new ArrayList<>();
    private final List<SimulatorSession> receivers = new ArrayList<>();
    private int cursor;
    private long anchorNs;
    private boolean reanchor = true;
    private boolean pumpQueued;
    private boolean readingStopped;
    private ScheduledFuture<?> wakeUp;

    FrameStream(
        final Capture capture,
        final VenueProtocol protocol,
        final SimulatorFaults faults,
        final SimulatorCounters counters,
        final EventLoop eventLoop,
        final double speed)
    {
        this.capture = capture;
        this.frames = recordedFrames(capture);
        this.protocol = protocol;
        this.faults = faults;
        this.counters = counters;
        this.eventLoop = eventLoop;
        this.speed = speed;
        this.text = new FrameText(capture);
    }

    void add(final SimulatorSession session)
    {
        sessions.add(session);
        session.channel().config().setAutoRead(!readingStopped);
    }

    void remove(final SimulatorSession session)
    {
        sessions.remove(session);
        kick();
    }

    /**
     * Runs the pump soon, once, on the event loop. Scheduled rather than executed: Netty runs tasks
     * executed from a task in the same task round (up to a 1 s quantum), so a pump that re-kicks
     * itself would keep the loop from accepting and reading other connections (a REST request, a
     * TLS handshake) for that long; a scheduled task waits for the next round, after I/O.
     */
    void kick()
    {
        if (!pumpQueued)
        {
            pumpQueued = true;
            eventLoop.schedule(this::pump, 0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Kicks the stream after a REST answer, which may release a stream held before a recorded
     * snapshot ({@link VenueProtocol#mayStream}).
     */
    void onRestAnswered()
    {
        kick();
    }

    /** Applies fault changes (reading stopped, pause, disconnect) and kicks; from any thread. */
    void kickFromAnyThread()
    {
        eventLoop.execute(() ->
        {
            applyReading();
            kick();
        });
    }

    private void applyReading()
    {
        final boolean stop = faults.readingStopped();
        if (stop != readingStopped)
        {
            readingStopped = stop;
            if (stop)
            {
                counters.readStop();
            }
            for (final SimulatorSession session : sessions)
            {
                session.channel().config().setAutoRead(!stop);
            }
        }
    }

    private void pump()
    {
        pumpQueued = false;
        if (faults.takeImmediateDisconnect())
        {
            disconnectAll();
        }
        int sent = 0;
        while (cursor < frames.length)
        {
            final long pausedUntilNs = faults.pausedUntilNs();
            final long nowNs = System.nanoTime();
            if (pausedUntilNs != 0 && pausedUntilNs - nowNs > 0)
            {
                if (faults.takePauseArmed())
                {
                    counters.pause();
                }
                reanchor = true;
                wakeUpIn(pausedUntilNs - nowNs);
                break;
            }
            if (!collectReceivers() || !protocol.mayStream(frames[cursor]))
            {
                reanchor = true;
                break;
            }
            if (speed > 0)
            {
                final long offsetNs = (long)((capture.recvNs(frames[cursor]) - capture.recvNs(frames[0])) / speed);
                if (reanchor)
                {
                    anchorNs = nowNs - offsetNs;
                    reanchor = false;
                }
                final long waitNs = anchorNs + offsetNs - nowNs;
                if (waitNs > 0)
                {
                    wakeUpIn(waitNs);
                    break;
                }
            }
            if (sent++ == BATCH)
            {
                kick();
                break;
            }
            streamOne(frames[cursor++]);
        }
        for (final SimulatorSession session : List.copyOf(sessions))
        {
            session.channel().flush();
        }
    }

    /** @return false if the stream must wait: no subscribed connection, or one that is not writable. */
    private boolean collectReceivers()
    {
        receivers.clear();
        for (final SimulatorSession session : sessions)
        {
            if (session.subscribed())
            {
                if (!session.channel().isWritable())
                {
                    return false;
                }
                receivers.add(session);
            }
        }
        return !receivers.isEmpty();
    }

    private void streamOne(final int record)
    {
        text.wrap(record);
        final int key = protocol.onFrame(record, text);
        counters.frameStreamed();
        boolean delivered = false;
        for (final SimulatorSession session : receivers)
        {
            delivered |= session.accepts(key);
        }
        if (!delivered)
        {
            return;
        }
        if (faults.takeDrop(text))
        {
            counters.frameDropped();
            return;
        }
        final boolean corrupt = faults.takeCorrupt();
        final boolean duplicate = faults.takeDuplicate();
        final int length = corrupt ? capture.payloadLength(record) / 2 : capture.payloadLength(record);
        for (final SimulatorSession session : receivers)
        {
            if (session.accepts(key))
            {
                for (int copy = duplicate ? 2 : 1; copy > 0; copy--)
                {
                    session.writeFrame(payload(record, length));
                    counters.frameSent(session.connection());
                }
            }
        }
        if (corrupt)
        {
            counters.frameCorrupted();
        }
        if (duplicate)
        {
            counters.frameDuplicated();
        }
        if (faults.countDownDisconnect())
        {
            disconnectAll();
        }
    }

    private void disconnectAll()
    {
        if (!sessions.isEmpty())
        {
            counters.disconnect();
        }
        for (final SimulatorSession session : new ArrayList<>(sessions))
        {
            sessions.remove(session);
            session.closeAbruptly();
        }
        receivers.clear();
    }

    private ByteBuf payload(final int record, final int length)
    {
        return Unpooled.wrappedBuffer(capture.buffer().byteArray(), capture.payloadOffset(record), length);
    }

    private void wakeUpIn(final long delayNs)
    {
        if (wakeUp != null)
        {
            wakeUp.cancel(false);
        }
        wakeUp = eventLoop.schedule(this::kick, delayNs, TimeUnit.NANOSECONDS);
    }

    private static int[] recordedFrames(final Capture capture)
    {
        int count = 0;
        final int[] frames = new int[capture.count(CaptureRecordKind.WS)];
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0)
            {
                frames[count++] = i;
            }
        }
        return Arrays.copyOf(frames, count);
    }
}
