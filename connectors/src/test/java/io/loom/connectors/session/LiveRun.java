package io.loom.connectors.session;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;

import javax.net.ssl.KeyManagerFactory;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

import static io.loom.connectors.session.SessionTestKit.closeAndAssertNoThreads;
import static io.loom.connectors.session.SessionTestKit.until;

/**
 * One end-to-end run: an {@link ExchangeSimulator} serving a capture over {@code wss://} (a
 * certificate made at test time), and a real pipeline whose source is a {@link FeedSession} on the
 * simulator and whose stage is an {@link OrderBookStage}.
 *
 * <pre>
 *   capture ─▶ ExchangeSimulator ─wss─▶ FeedSession (connector fibers) ─▶ ring ─▶ OrderBookStage
 * </pre>
 */
final class LiveRun implements AutoCloseable
{
    private static final long QUIET_MS = 300;

    final Capture capture;
    final ExchangeSimulator simulator;
    final VenueProtocol protocol;
    final FeedSession session;
    final Pipeline pipeline;
    private final AtomicReference<OrderBookStage> stage = new AtomicReference<>();
    private boolean closed;

    /**
     * Starts the simulator (faults are armed on it before anything connects) but not the pipeline.
     *
     * @param name     the pipeline's name.
     * @param capture  what the simulator serves.
     * @param protocol the venue, given the simulator's WebSocket and REST base URIs.
     * @param tuning   changes to the venue's default session settings (TLS is set here).
     */
    LiveRun(final String name, final Capture capture, final BiFunction<URI, URI, VenueProtocol> protocol,
        final UnaryOperator<FeedSessionConfig> tuning) throws Exception
    {
        this(name, capture, SimulatorContext.AS_FAST_AS_POSSIBLE, protocol, tuning);
    }

    /**
     * As above, the simulator streaming at {@code speed} times the recorded pace.
     *
     * @param speed {@link SimulatorContext#AS_FAST_AS_POSSIBLE}, or a factor of the recorded pace.
     */
    LiveRun(final String name, final Capture capture, final double speed, final BiFunction<URI, URI, VenueProtocol> protocol,
        final UnaryOperator<FeedSessionConfig> tuning) throws Exception
    {
        this.capture = capture;
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TestCertificates.get().localhost().keyStore(), TestCertificates.PASSWORD);
        this.simulator = ExchangeSimulator.start(new SimulatorContext().capture(capture).speed(speed).tls(keys));
        this.protocol = protocol.apply(simulator.webSocketUri(), simulator.restBaseUri());
        final TlsContext tls = new TlsContext().trustCertificates(TestCertificates.get().caCertificate());
        this.session = new FeedSession(this.protocol, tuning.apply(FeedSessionConfig.forVenue(this.protocol).withTls(tls)));
        // slow-slice reports off: they are logged on the reactor thread, and a fiber parked inside
        // the logger's lock (its output blocked) would then deadlock the reactor with it
        this.pipeline = new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0)).create(
            Pipeline.builder(name).source(session).stage("books", () ->
            {
                final OrderBookStage books = new OrderBookStage();
                stage.set(books);
                return books;
            }).validate());
    }

    /**
     * Runs {@code fault} on the simulator's event loop as the {@code frame}-th recorded frame is
     * streamed: a fault at a fixed point of the recording, whatever the timing. (It watches the
     * frames through a drop rule that never drops.)
     */
    static void atRecordedFrame(final LiveRun run, final int frame, final Runnable fault)
    {
        final java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        run.simulator.faults().dropFrames(1, text ->
        {
            if (seen.incrementAndGet() == frame)
            {
                fault.run();
            }
            return false;
        });
    }

    /**
     * @param minimum book messages (snapshots and applied updates) the session's feed must have applied.
     * @return true once it has: its books are synchronised and being updated, whatever the machine's
     *         load did to the time the first snapshot took.
     */
    boolean feedApplied(final long minimum)
    {
        final io.loom.connectors.feed.VenueFeed feed = session.feed(); // set when the pipeline starts
        return feed != null && feed.counters().get(io.loom.connectors.feed.FeedCounter.BOOK_MESSAGES) >= minimum;
    }

    /**
     * Runs a fault once, at the first recorded frame the simulator streams after the session's feed
     * has applied 200 book messages (its books are synchronised), however long the first snapshot took.
     */
    static void onceSynced(final LiveRun run, final Runnable fault)
    {
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        run.simulator.faults().dropFrames(1, text ->
        {
            if (run.feedApplied(200) && done.compareAndSet(false, true))
            {
                fault.run();
            }
            return false;
        });
    }

    LiveRun start()
    {
        pipeline.start();
        return this;
    }

    /**
     * Waits until the simulator has passed every recorded frame, the session has received nothing
     * for a while, and every book of the stage is VALID.
     *
     * @param timeoutMs the bound.
     */
    void awaitEndOfStreamWithBooksValid(final long timeoutMs)
    {
        final int frames = recordedFrames();
        final long[] last = {-1, System.nanoTime()};
        until(() ->
        {
            final long received = session.counters().get(SessionCounter.MESSAGES_RECEIVED);
            if (received != last[0])
            {
                last[0] = received;
                last[1] = System.nanoTime();
                return false;
            }
            return simulator.counters().framesStreamed() == frames && System.nanoTime() - last[1] > QUIET_MS * 1_000_000L && allValid();
        }, timeoutMs, () -> "the end of the stream with every book VALID: streamed " + simulator.counters().framesStreamed() + " of " +
            frames + ", session " + session.counters() + ", feed " + session.feed().counters() + ", states " + states());
    }

    /** @return the WS frames of conn 0 the simulator streams. */
    int recordedFrames()
    {
        int frames = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            frames += capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0 ? 1 : 0;
        }
        return frames;
    }

    /** @return true when the stage has a book for every instrument and each is VALID (read from the test thread: a wait condition only). */
    boolean allValid()
    {
        final OrderBookStage books = stage.get();
        if (books == null || pipeline.instruments().size() == 0)
        {
            return false;
        }
        for (final Instrument instrument : pipeline.instruments().all())
        {
            final OrderBookView book = books.view().book(instrument.id());
            if (book == null || book.state() != BookState.VALID)
            {
                return false;
            }
        }
        return true;
    }

    private String states()
    {
        final StringBuilder text = new StringBuilder();
        final OrderBookStage books = stage.get();
        for (final Instrument instrument : pipeline.instruments().all())
        {
            final OrderBookView book = books == null ? null : books.view().book(instrument.id());
            text.append(instrument.symbol()).append('=').append(book == null ? "none" : book.state()).append(' ');
        }
        return text.toString();
    }

    /** @return the pipeline's order-book stage, null until the pipeline built it; its counters may be read from any thread. */
    OrderBookStage books()
    {
        return stage.get();
    }

    /**
     * Closes the pipeline (the stage has consumed everything published when it returns), then
     * describes the stage's books.
     *
     * @return every book by symbol, as {@link OfflineBooks#describe} writes them.
     */
    Map<String, String> closeAndDescribeBooks()
    {
        closeAndAssertNoThreads(pipeline);
        return OfflineBooks.books(pipeline.instruments(), stage.get());
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                closeAndAssertNoThreads(pipeline);
            }
            finally
            {
                simulator.close();
            }
        }
    }
}
