package io.loom.connectors.replay;

import io.loom.api.fiber.Baton;
import io.loom.api.fiber.NanoClock;
import io.loom.api.fiber.TimerHandler;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.connectors.verify.UnsupportedVenueException;
import io.loom.connectors.verify.VenueFeeds;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.SimulatedClock;
import io.loom.runtime.journal.RecordCursor;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Source} that replays a recorded session — a journal directory or a text capture —
 * through the venue feeds exactly as live connections would drive them ({@link RecordedSessionFeeds}),
 * into the pipeline's ring, at a {@link ReplaySpeed}, limited to a time range.
 *
 * <pre>
 *   final ReplaySource replay = new ReplaySource("replay", path, ReplaySpeed.times(10), RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
 *   try (Pipeline pipeline = Pipeline.builder("replay").clock(replay.clock()).source(replay).stage("books", () -&gt; books).build())
 *   {
 *       pipeline.start();
 *       replay.awaitFinished(1, TimeUnit.HOURS);
 *   }   // close drains the ring: books.view().digest() is final
 * </pre>
 *
 * <p>Recorded time: the pipeline's reactor must run on {@link #clock()} (checked at start). Before
 * each record the clock moves to its receive time, and every reactor timer due by then fires
 * (in deadline order) before the record is delivered, so timers, heartbeats and staleness
 * watchdogs see the same recorded instants, against the same records, at any pace.
 *
 * <p>Determinism: records are replayed in order, one fiber, whatever the pace; with a BLOCK
 * pipeline nothing is dropped, so every stage sees the same events in the same order.
 *
 * <p>Resyncs the pipeline asks for ({@link #onResyncRequested}, e.g. a stage that found a book
 * crossed) are counted, and satisfied the way the recording allows: by the next recorded snapshot
 * of that instrument, which the feed applies even to a book it holds VALID
 * ({@link RecordedSessionFeeds}); until then the stage keeps the book STALE. They are not applied
 * when they arrive, on purpose: a request travels from the stage's thread through the pipeline's
 * resync queue to this reactor, so the record it would land before depends on how far the stage
 * lags the replay, which changes with the pace and the machine's load. Acting on it would make
 * the output depend on the pace, which is what replay must never do. The recording already holds
 * the live session's answer to the request: the REST snapshot it fetched (Binance), or the
 * resubscription and fresh in-band snapshot (Kraken).
 *
 * <p>The replay fiber reads its input (file I/O, gzip inflation for a capture) on the reactor and
 * yields every 16 records; give a replay a reactor of its own rather than sharing one with live
 * connections.
 *
 * <p>Thread-safety: {@link #step}, {@link #awaitFinished} and the progress getters may be called
 * from any thread; the replay itself runs on one fiber of the pipeline's reactor.
 */
public final class ReplaySource implements Source
{
    private static final int YIELD_MASK = 15;

    private final String name;
    private final Path input;
    private final ReplaySpeed speed;
    private final long fromNs;
    private final long toNs;
    private final CaptureHeader header;
    private final long firstRecvNs;
    private final SimulatedClock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong stepPermits = new AtomicLong();
    private final AtomicLong resyncRequests = new AtomicLong();
    private volatile Baton stepBaton;
    private volatile long recordsReplayed;
    private volatile long lastRecvNs;
    private volatile Throwable failure;
    private volatile boolean completed;
    private RecordedSessionFeeds feeds;
    private FiberScheduler reactor;
    private Baton timersRan;
    private final TimerHandler onTimersRan = this::onTimersRan;

    /**
     * Opens the input once to read its header and first receive time (the clock's start).
     *
     * @param name   the source's name in its pipeline.
     * @param input  a journal directory or a capture file.
     * @param speed  the pace.
     * @param fromNs the first receive time to replay (ns since the epoch), or {@link RecordCursor#NO_BOUND_FROM}.
     * @param toNs   the last receive time to replay, or {@link RecordCursor#NO_BOUND_TO}.
     * @throws IOException               if the input cannot be read.
     * @throws UnsupportedVenueException if Loom has no feed for the session's venue.
     * @throws IllegalArgumentException  if nothing lies in the range.
     */
    public ReplaySource(final String name, final Path input, final ReplaySpeed speed, final long fromNs, final long toNs) throws IOException
    {
        this.name = name;
        this.input = input;
        this.speed = speed;
        this.fromNs = fromNs;
        this.toNs = toNs;
        try (RecordCursor records = RecordCursor.open(input, fromNs, toNs))
        {
            this.header = records.header();
            if (!VenueFeeds.SUPPORTED.contains(header.venue()))
            {
                throw new UnsupportedVenueException(header.venue(), VenueFeeds.SUPPORTED);
            }
            if (!records.next())
            {
                throw new IllegalArgumentException("no record between " + fromNs + " and " + toNs + " (receive times, epoch ns)");
            }
            this.firstRecvNs = records.recvNs();
        }
        this.clock = new SimulatedClock(firstRecvNs);
    }

    @Override
    public String name()
    {
        return name;
    }

    /** @return the clock the pipeline must be built with: recorded time, moved by the replay. */
    public NanoClock clock()
    {
        return clock;
    }

    /** @return the session's capture header. */
    public CaptureHeader header()
    {
        return header;
    }

    /** @return the first replayed record's receive time, ns since the epoch. */
    public long firstRecvNs()
    {
        return firstRecvNs;
    }

    /**
     * Spawns the replay fiber.
     *
     * @throws IllegalStateException if the reactor is not Loom's or does not run on {@link #clock()}.
     */
    @Override
    public void start(final SourceContext context)
    {
        if (!(context.reactor() instanceof FiberScheduler scheduler))
        {
            throw new IllegalStateException("replay '" + name + "' needs a Loom FiberScheduler reactor, not " + context.reactor());
        }
        if (scheduler.clock() != clock)
        {
            throw new IllegalStateException("replay '" + name + "' needs the pipeline built with .clock(replay.clock())");
        }
        reactor = scheduler;
        feeds = new RecordedSessionFeeds(context.instruments(), context.publisher());
        timersRan = reactor.newBaton();
        stepBaton = reactor.newBaton();
        reactor.spawn(name, this::replay);
    }

    @Override
    public void onResyncRequested(final int instrumentId)
    {
        resyncRequests.incrementAndGet();
    }

    /**
     * Lets a {@link ReplaySpeed#STEP} replay go on by some records.
     *
     * @param records how many more records to replay, positive.
     */
    public void step(final int records)
    {
        if (records <= 0)
        {
            throw new IllegalArgumentException("step by a positive number of records, not " + records);
        }
        stepPermits.addAndGet(records);
        final Baton baton = stepBaton;
        if (baton != null)
        {
            baton.post();
        }
    }

    /**
     * Waits until the replay ended: every record replayed, or it failed or was interrupted.
     *
     * @param timeout how long at most.
     * @param unit    its unit.
     * @return true if it ended; false on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitFinished(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return finished.await(timeout, unit);
    }

    /** @return true once every record in range was replayed (false while running, or after a failure or interrupt). */
    public boolean completed()
    {
        return completed;
    }

    /** @return what ended the replay early, or null. */
    public Throwable failure()
    {
        return failure;
    }

    /** @return records replayed so far (SEND records included). */
    public long recordsReplayed()
    {
        return recordsReplayed;
    }

    /** @return the receive time of the last record replayed, or 0 before the first. */
    public long lastRecvNs()
    {
        return lastRecvNs;
    }

    /** @return resyncs the pipeline asked for during the replay (counted; the next recorded snapshot of each instrument satisfies them). */
    public long resyncRequests()
    {
        return resyncRequests.get();
    }

    /** @return the feeds; read their counters after {@link #awaitFinished} returned true. */
    public RecordedSessionFeeds feeds()
    {
        return feeds;
    }

    private void replay() throws InterruptedException
    {
        try (RecordCursor records = RecordCursor.open(input, fromNs, toNs))
        {
            final long wallStartNs = System.nanoTime();
            long replayed = 0;
            while (records.next())
            {
                final long recvNs = records.recvNs();
                awaitTurn(recvNs, wallStartNs);
                clock.advanceTo(recvNs);
                while (reactor.earliestTimerDeadlineNs() <= recvNs)
                {
                    letDueTimersRun(recvNs);
                }
                final DirectBuffer payload = records.payload();
                feeds.onRecord(records.venue(), records.conn(), records.kind(), payload, 0, payload.capacity(), recvNs);
                lastRecvNs = recvNs;
                recordsReplayed = ++replayed;
                if ((replayed & YIELD_MASK) == 0)
                {
                    Thread.yield(); // let the reactor's other fibers run: a replay at max never parks otherwise
                }
            }
            completed = true;
        }
        catch (final InterruptedException ex)
        {
            throw ex;
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            failure = ex;
            throw new IllegalStateException("replay '" + name + "' of " + input + " failed: " + ex.getMessage(), ex);
        }
        finally
        {
            finished.countDown();
        }
    }

    private void awaitTurn(final long recvNs, final long wallStartNs) throws InterruptedException
    {
        switch (speed.mode())
        {
            case MAX ->
            {
            }
            case PACED ->
            {
                final long dueNs = wallStartNs + (long)((recvNs - firstRecvNs) / speed.multiplier());
                for (long waitNs = dueNs - System.nanoTime(); waitNs > 0; waitNs = dueNs - System.nanoTime())
                {
                    LockSupport.parkNanos(this, waitNs);
                    if (Thread.interrupted())
                    {
                        throw new InterruptedException("replay '" + name + "' interrupted");
                    }
                }
            }
            case STEP ->
            {
                while (stepPermits.get() == 0)
                {
                    stepBaton.await();
                    stepBaton.reset();
                }
                stepPermits.decrementAndGet();
            }
        }
    }

    /** Parks on a timer due now: the reactor fires every timer due by then (in deadline order) before this one. */
    private void letDueTimersRun(final long nowNs) throws InterruptedException
    {
        reactor.scheduleTimer(nowNs, onTimersRan);
        timersRan.await();
        timersRan.reset();
    }

    private void onTimersRan(final long timerId, final long nowNs)
    {
        timersRan.post();
    }
}
