package io.loom.runtime.journal;

import io.loom.runtime.affinity.CorePinning;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The journal tap of a pipeline: the reactor hands every inbound frame and lifecycle record to
 * {@link #append}, which copies it into a ring buffer and returns at once; one platform thread, the
 * journal thread, drains the ring into the Chronicle Queue through a {@link JournalAppender}.
 *
 * <pre>
 *   reactor fibers ──append (copy, never blocks)──▶ ManyToOneRingBuffer ──journal thread──▶ JournalAppender ──▶ queue
 *                       │ ring full / record too large                         │ Chronicle failed     (a batch per drain)
 *                       └──────────────────────▶ fail(JournalException) ◀──────┘
 *                                                 counted, logged at ERROR, listener told, policy applied
 * </pre>
 *
 * <p>Why a thread of its own: Chronicle's appender is confined to one thread and fibers are
 * distinct threads (see {@link JournalAppender}); and a page fault or a file roll on the reactor
 * would stall every connection. The ring bounds what may be in flight. The thread is
 * {@code SCHED_BATCH} on Linux ({@link JournalThreadScheduling}): its fair share of the CPU, but its
 * wake-ups never preempt the stage thread or a sender on the same core. It keeps off the pinned
 * reactor's core ({@link JournalContext#avoidCpu}): it inherits the starting thread's affinity otherwise,
 * and the scheduler is free to put it beside the reactor, the pipeline's bottleneck flat out.
 *
 * <p>Batches: a ring message is already a journal record in {@link JournalRecordDescriptor}'s
 * one-record layout, so the journal thread copies it into the queue as it is. Everything one drain
 * takes from the ring goes into batch excerpts ({@link JournalAppender#appendToBatch}), committed
 * at the end of the drain: Chronicle's per-excerpt cost (~1 µs) is paid per batch, not per record.
 * When a drain finds the ring nearly empty the thread sleeps {@link #DRAIN_INTERVAL_NS} before the
 * next, so records gather into batches instead of the thread waking for each one: a record reaches
 * the queue about a millisecond after it was offered, at most, unless the thread is starved.
 *
 * <p>Failure: the first failure — the ring is full (the journal cannot keep up), a record larger
 * than an eighth of the ring or a quarter of the queue's block, or Chronicle failed (disk full, file too large) — becomes
 * {@link #failure()}, is logged at ERROR, and the {@link JournalFailureListener} is told. From then
 * on the writer accepts nothing: every later record is counted by {@link #refused()}, and so are
 * the records of the batch Chronicle failed on and those still in the ring (after a full ring, the
 * records already accepted are still journaled). A journal is always a gap-free prefix of what was
 * offered, and everything past it is counted: never a silent hole. {@link JournalFailurePolicy}
 * says what the pipeline does: stop (the listener stops it) or continue without a journal (logged
 * loudly, again at close with the count of records not journaled).
 *
 * <p>Thread-safety: {@link #append} may be called from any thread (the ring takes many producers);
 * counters from any thread. Appending allocates nothing, except the {@code String} overload.
 */
public final class JournalWriter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    /** How long the journal thread sleeps after a drain that found fewer than {@code DRAIN_RECORDS} records. */
    public static final long DRAIN_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int RECORD_MSG_TYPE = 1;
    private static final int PAYLOAD = JournalRecordDescriptor.PAYLOAD_OFFSET;
    private static final int DRAIN_RECORDS = 1024;
    private static final long JOIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private final JournalFailurePolicy policy;
    private final JournalFailureListener listener;
    private final JournalAppender appender;
    private final ManyToOneRingBuffer ring;
    /** The longest record (fixed fields included) both the ring and the queue's block take. */
    private final int maxRecordBytes;
    private final MessageHandler onRecord = this::onRecord;
    private final Thread thread;
    private final int avoidCpu;
    private final AtomicReference<JournalException> failure = new AtomicReference<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile long appended;
    private volatile long drainedPosition;
    private long handed;
    private boolean appenderBroken;
    private volatile boolean running = true;

    private JournalWriter(final JournalContext context, final JournalAppender appender)
    {
        this.name = context.directory().toString();
        this.policy = context.failurePolicy();
        this.listener = context.failureListener();
        this.appender = appender;
        this.appended = appender.appended();
        this.handed = appender.appended();
        this.ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(context.bufferBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
        this.maxRecordBytes = Math.min(ring.maxMsgLength(), appender.maxRecordBytes());
        this.thread = new Thread(this::drainLoop, "journal-" + context.directory().getFileName());
        this.thread.setDaemon(true);
        this.avoidCpu = context.avoidCpu();
    }

    /**
     * Opens (or continues) the journal, appends the session's header and starts the journal thread.
     *
     * @param context the configuration, concluded here if it was not yet.
     * @return the running writer.
     * @throws JournalException         if the queue cannot be opened.
     * @throws IllegalArgumentException if the configuration is invalid.
     */
    public static JournalWriter start(final JournalContext context) throws JournalException
    {
        final JournalContext concluded = context.isConcluded() ? context : context.conclude();
        final JournalAppender appender = JournalAppender.open(
            concluded.directory(), concluded.rollCycle(), concluded.blockSizeBytes(), concluded.header());
        final JournalWriter writer = new JournalWriter(concluded, appender);
        writer.thread.start();
        return writer;
    }

    /**
     * Hands one record to the journal without blocking.
     *
     * @param recvNs    receive time, ns since the epoch.
     * @param conn      the connection number.
     * @param venueCode the venue's {@link JournalVenues} code.
     * @param kind      the record's kind.
     * @param payload   holds the payload; copied before this returns.
     * @param offset    where it starts.
     * @param length    its length in bytes.
     * @return true if the record is accepted: it will be journaled unless Chronicle fails first
     *         (then it is counted by {@link #refused()}); false if it was refused (counted; see {@link #failure()}).
     */
    public boolean append(
        final long recvNs,
        final int conn,
        final int venueCode,
        final CaptureRecordKind kind,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final int index = claim(kind, length);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        JournalRecordDescriptor.putFields(buffer, index, recvNs, conn, kind, venueCode);
        buffer.putBytes(index + PAYLOAD, payload, offset, length);
        ring.commit(index);
        return true;
    }

    /**
     * Hands one REST response to the journal without blocking: its payload is {@code <url> <body>}.
     *
     * @param recvNs     receive time, ns since the epoch.
     * @param conn       the connection number.
     * @param venueCode  the venue's {@link JournalVenues} code.
     * @param url        holds the URL (no spaces).
     * @param urlOffset  where it starts.
     * @param urlLength  its length.
     * @param body       holds the response body.
     * @param bodyOffset where it starts.
     * @param bodyLength its length.
     * @return true if the record will be journaled; false if it was refused (counted).
     */
    public boolean appendRest(
        final long recvNs,
        final int conn,
        final int venueCode,
        final DirectBuffer url,
        final int urlOffset,
        final int urlLength,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength)
    {
        final int index = claim(CaptureRecordKind.REST, urlLength + 1 + bodyLength);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        JournalRecordDescriptor.putFields(buffer, index, recvNs, conn, CaptureRecordKind.REST, venueCode);
        buffer.putBytes(index + PAYLOAD, url, urlOffset, urlLength);
        buffer.putByte(index + PAYLOAD + urlLength, (byte)' ');
        buffer.putBytes(index + PAYLOAD + urlLength + 1, body, bodyOffset, bodyLength);
        ring.commit(index);
        return true;
    }

    /**
     * Hands one lifecycle record (a CONNECT URL, a SEND, a DISCONNECT reason) to the journal without
     * blocking. Allocates: for records that are rare by nature.
     *
     * @param recvNs    receive time, ns since the epoch.
     * @param conn      the connection number.
     * @param venueCode the venue's {@link JournalVenues} code.
     * @param kind      the record's kind.
     * @param payload   the payload text, encoded as UTF-8.
     * @return true if the record will be journaled; false if it was refused (counted).
     */
    public boolean append(final long recvNs, final int conn, final int venueCode, final CaptureRecordKind kind, final String payload)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return append(recvNs, conn, venueCode, kind, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /**
     * Waits until every record accepted so far is in the queue, or counted as refused after a failure.
     *
     * @param timeoutNs how long to wait at most.
     * @return true if the ring is empty; false on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitDrained(final long timeoutNs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (ring.producerPosition() != drainedPosition)
        {
            if (deadlineNs - System.nanoTime() < 0 || !thread.isAlive())
            {
                return ring.producerPosition() == drainedPosition;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** @return records in the queue, header included: readable by others, and kept if this process dies. */
    public long appended()
    {
        return appended;
    }

    /** @return records that were not journaled: refused by {@link #append} or dropped from the ring after a failure. */
    public long refused()
    {
        return refused.get();
    }

    /** @return the failure that turned the journal off, or null while it works. */
    public JournalException failure()
    {
        return failure.get();
    }

    /** @return true while records are being journaled. */
    public boolean isJournaling()
    {
        return failure.get() == null && running;
    }

    /** @return the journal thread (for tests and diagnostics). */
    public Thread thread()
    {
        return thread;
    }

    /**
     * Journals every record already accepted, closes the queue and ends the journal thread.
     * Idempotent. Call it after the sources stopped appending.
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.NANOSECONDS.toMillis(JOIN_TIMEOUT_NS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            LOG.error("journal {}: the journal thread did not end within {} s", name, TimeUnit.NANOSECONDS.toSeconds(JOIN_TIMEOUT_NS));
        }
        if (refused.get() > 0)
        {
            LOG.error("journal {}: {} records were NOT journaled ({}); the journal is incomplete from {} records on",
                name, refused.get(), failure.get() == null ? "writer closed" : failure.get().getMessage(), appended);
        }
    }

    private int claim(final CaptureRecordKind kind, final int payloadLength)
    {
        if (failure.get() != null || !running)
        {
            refused.incrementAndGet();
            return -1;
        }
        final int length = PAYLOAD + payloadLength;
        if (length > maxRecordBytes)
        {
            refused.incrementAndGet();
            fail(new JournalException(name, JournalException.Reason.RECORD_TOO_LARGE, "a " + kind + " record of " + payloadLength +
                " bytes; the buffer and the queue's block take at most " + (maxRecordBytes - PAYLOAD), null));
            return -1;
        }
        final int index = ring.tryClaim(RECORD_MSG_TYPE, length);
        if (index < 0)
        {
            refused.incrementAndGet();
            fail(new JournalException(name, JournalException.Reason.CANNOT_KEEP_UP,
                "the journal thread is " + ring.size() + " bytes behind; the buffer is full", null));
            return -1;
        }
        return index;
    }

    private void drainLoop()
    {
        appender.moveToCurrentThread();
        JournalThreadScheduling.batchCallingThread(name);
        CorePinning.avoidCoreForCurrentThread(avoidCpu, "journal thread '" + name + "'");
        try
        {
            while (running || ring.producerPosition() != drainedPosition)
            {
                final int records = ring.read(onRecord, DRAIN_RECORDS);
                commit();
                drainedPosition = ring.consumerPosition();
                if (records < DRAIN_RECORDS && running)
                {
                    LockSupport.parkNanos(this, DRAIN_INTERVAL_NS);
                }
            }
        }
        finally
        {
            appender.close();
        }
    }

    private void onRecord(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (appenderBroken)
        {
            refused.incrementAndGet();
            return;
        }
        handed++;
        try
        {
            appender.appendToBatch(buffer, index, length);
        }
        catch (final JournalException ex)
        {
            appenderFailed(ex);
        }
    }

    private void commit()
    {
        if (appenderBroken)
        {
            return;
        }
        try
        {
            appender.commitBatch();
            appended = appender.appended();
        }
        catch (final JournalException ex)
        {
            appenderFailed(ex);
        }
    }

    /** Chronicle failed: the batch it failed on is not in the queue; its records are counted, and so is everything after. */
    private void appenderFailed(final JournalException ex)
    {
        appenderBroken = true;
        appended = appender.appended();
        refused.addAndGet(handed - appender.appended());
        fail(ex);
    }

    private void fail(final JournalException ex)
    {
        if (!failure.compareAndSet(null, ex))
        {
            return;
        }
        if (policy == JournalFailurePolicy.STOP_PIPELINE)
        {
            LOG.error("JOURNAL FAILED, stopping the pipeline: {}", ex.getMessage(), ex);
        }
        else
        {
            LOG.error("JOURNAL OFF: {}; the pipeline CONTINUES WITHOUT A JOURNAL: no later record is journaled, each is counted as refused",
                ex.getMessage(), ex);
        }
        if (listener != null)
        {
            try
            {
                listener.onJournalFailure(ex);
            }
            catch (final RuntimeException listenerFailure)
            {
                LOG.error("journal {}: the failure listener threw", name, listenerFailure);
            }
        }
    }
}
