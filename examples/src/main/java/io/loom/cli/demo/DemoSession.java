package io.loom.cli.demo;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.record.JournalTapProtocol;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.connectors.verify.CaptureVerification;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.net.tls.TlsContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;

/**
 * One bundled recording's part of the demo: the exchange simulator serving it over {@code wss://}
 * at a pace, the journal it is recorded into, the {@link FeedSession} (through the journal tap)
 * that the pipeline runs as a source, and the order-book stage that sees only that source.
 *
 * <pre>
 *   capture ─▶ ExchangeSimulator ─wss─▶ FeedSession ─▶ JournalTapProtocol ─▶ JournalWriter ─▶ journal dir
 *                                                            └──▶ ring ─▶ SourceFilterStage ─▶ OrderBookStage (live digest)
 * </pre>
 *
 * <p>Thread-safety: made and closed by the demo's thread; {@link #ended} and the accessors are read
 * by it while the pipeline runs (counters and book views are safe to read from any thread).
 */
final class DemoSession implements AutoCloseable
{
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(300);

    private final BundledSession bundled;
    private final CaptureVerification offline;
    private final Path journal;
    private final int recordedFrames;
    private final ExchangeSimulator simulator;
    private final JournalWriter writer;
    private final FeedSession session;
    private final OrderBookStage books = new OrderBookStage();
    private final AtomicReference<JournalException> journalFailure = new AtomicReference<>();
    private long lastReceived = -1;
    private long lastChangeNs;

    /**
     * Starts the simulator and the journal writer; the session starts with the pipeline.
     *
     * @param bundled      which recording.
     * @param capture      the recording, loaded.
     * @param offline      what offline verification found in it (instruments, books, checks).
     * @param keys         the simulator's TLS key and certificate.
     * @param tls          the client's TLS settings, trusting that certificate only.
     * @param speed        the simulator's pace, a factor of recorded time.
     * @param journal      the journal directory to create.
     * @throws JournalException if the journal cannot be created.
     */
    DemoSession(final BundledSession bundled, final Capture capture, final CaptureVerification offline, final KeyManagerFactory keys,
        final TlsContext tls, final double speed, final Path journal) throws JournalException
    {
        this.bundled = bundled;
        this.offline = offline;
        this.journal = journal;
        this.recordedFrames = recordedFrames(capture);
        this.simulator = ExchangeSimulator.start(new SimulatorContext().capture(capture).speed(speed).tls(keys));
        JournalWriter started = null;
        try
        {
            started = JournalWriter.start(new JournalContext().directory(journal)
                .header(CaptureHeader.of(capture.header().venue(), "loom demo " + bundled.label() + " " + simulator.webSocketUri()))
                .failureListener(journalFailure::set));
        }
        finally
        {
            if (started == null)
            {
                simulator.close();
            }
        }
        this.writer = started;
        final List<InstrumentSpec> specs = new ArrayList<>();
        for (final Instrument instrument : offline.instruments().all())
        {
            specs.add(new InstrumentSpec(instrument.symbol(), instrument.priceExponent(), instrument.sizeExponent()));
        }
        final JournalTapProtocol tap = new JournalTapProtocol(bundled.protocol(specs, simulator.webSocketUri(), simulator.restBaseUri()), writer, 0);
        this.session = new FeedSession(tap, FeedSessionConfig.forVenue(tap).withTls(tls));
    }

    BundledSession bundled()
    {
        return bundled;
    }

    CaptureVerification offline()
    {
        return offline;
    }

    FeedSession session()
    {
        return session;
    }

    OrderBookStage books()
    {
        return books;
    }

    ExchangeSimulator simulator()
    {
        return simulator;
    }

    JournalWriter writer()
    {
        return writer;
    }

    Path journal()
    {
        return journal;
    }

    JournalException journalFailure()
    {
        return journalFailure.get();
    }

    /** @return the recorded frames the simulator streams. */
    int recordedFrames()
    {
        return recordedFrames;
    }

    /** @return the venue's checks that agreed: the feed's exchange checksums plus the book stage's top-of-book (bookTicker) checks. */
    long checksOk()
    {
        return feedCounter(FeedCounter.CHECKSUMS_OK) + books.topOfBookChecksAgreed();
    }

    /** @return the venue's checks that failed: exchange checksums plus the book stage's top-of-book checks. */
    long checksFailed()
    {
        return feedCounter(FeedCounter.CHECKSUMS_FAILED) + books.topOfBookChecksFailed();
    }

    /**
     * @param pipelineInstruments the live pipeline's registry.
     * @param nowNs               {@link System#nanoTime()}.
     * @return true once the simulator has streamed every recorded frame, the session has received
     *         nothing for 300 ms and every book the recording fills is VALID.
     */
    boolean ended(final InstrumentRegistry pipelineInstruments, final long nowNs)
    {
        final long received = session.counters().get(SessionCounter.MESSAGES_RECEIVED) +
            session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED);
        if (received != lastReceived)
        {
            lastReceived = received;
            lastChangeNs = nowNs;
            return false;
        }
        return simulator.counters().framesStreamed() == recordedFrames && nowNs - lastChangeNs > QUIET_NS && booksValid(pipelineInstruments);
    }

    /** @return the feed's figure, 0 before the session started. */
    long feedCounter(final FeedCounter counter)
    {
        final VenueFeed feed = session.feed();
        return feed == null ? 0 : feed.counters().get(counter);
    }

    /**
     * @param pipelineInstruments the live pipeline's registry.
     * @param reference           an instrument of the offline registry.
     * @return the live book of the same venue and symbol, or null if it has none.
     */
    OrderBookView liveBook(final InstrumentRegistry pipelineInstruments, final Instrument reference)
    {
        final Instrument live = pipelineInstruments.find(reference.venue(), reference.symbol());
        return live == null ? null : books.view().book(live.id());
    }

    /** @return the offline instruments whose books the recording fills (a book with levels or VALID at the end). */
    List<Instrument> filledInstruments()
    {
        final List<Instrument> filled = new ArrayList<>();
        for (final Instrument instrument : offline.instruments().all())
        {
            final OrderBookView book = offline.books().book(instrument.id());
            if (book != null && (book.state() == BookState.VALID || book.bidDepth() > 0 || book.askDepth() > 0))
            {
                filled.add(instrument);
            }
        }
        return filled;
    }

    private boolean booksValid(final InstrumentRegistry pipelineInstruments)
    {
        for (final Instrument instrument : filledInstruments())
        {
            final OrderBookView book = liveBook(pipelineInstruments, instrument);
            if (book == null || book.state() != BookState.VALID)
            {
                return false;
            }
        }
        return true;
    }

    /** Closes the journal writer (its records drained first, up to 30 s) and the simulator. */
    @Override
    public void close() throws InterruptedException
    {
        try
        {
            writer.awaitDrained(TimeUnit.SECONDS.toNanos(30));
            writer.close();
        }
        finally
        {
            simulator.close();
        }
    }

    private static int recordedFrames(final Capture capture)
    {
        int frames = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            frames += capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0 ? 1 : 0;
        }
        return frames;
    }
}
