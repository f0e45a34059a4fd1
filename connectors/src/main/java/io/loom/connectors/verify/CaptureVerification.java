package io.loom.connectors.verify;

import io.loom.api.book.OrderBooks;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.feed.FeedCounter;
import java.util.List;
import java.util.Locale;

/**
 * What verifying one recorded session found: the feeds' counters, the order-book stage's checks, the
 * time the verification loop took, the books it ended with, and every book on which the stage and a
 * feed's own replica (where the feed keeps one: Kraken) disagreed.
 *
 * @param venueId          the capture's venue id.
 * @param counters         the feed counters, indexed by {@link FeedCounter#ordinal()}, summed over
 *                         the capture's connections.
 * @param topOfBookOk      the stage's top-of-book checks (Binance bookTicker quotes against its book) that agreed.
 * @param topOfBookFailed  the stage's top-of-book checks that disagreed.
 * @param crossedBooks     the moments a VALID book of the stage was crossed.
 * @param loopNanos        the verification loop's duration: capture already in memory, JVM started.
 * @param books            the order-book stage's books at the end.
 * @param instruments      the instruments the feed found.
 * @param bookDisagreements one line per book where the stage and the feed's replica differ at the end.
 */
public record CaptureVerification(
    String venueId,
    long[] counters,
    long topOfBookOk,
    long topOfBookFailed,
    long crossedBooks,
    long loopNanos,
    OrderBooks books,
    InstrumentRegistry instruments,
    List<String> bookDisagreements)
{
    /**
     * @param counter which figure.
     * @return its value.
     */
    public long get(final FeedCounter counter)
    {
        return counters[counter.ordinal()];
    }

    /** @return errors: the feed's, plus one per book the stage and the feed disagree on. */
    public long errors()
    {
        return get(FeedCounter.ERRORS) + bookDisagreements.size();
    }

    /** @return frames per second of the verification loop alone. */
    public double framesPerSecond()
    {
        return loopNanos == 0 ? 0 : get(FeedCounter.FRAMES) * 1e9 / loopNanos;
    }

    /** @return true when no checksum or ticker cross-check failed and nothing was in error. */
    public boolean passed()
    {
        return get(FeedCounter.CHECKSUMS_FAILED) == 0 && topOfBookFailed == 0 && errors() == 0;
    }

    /** @return the one-line summary {@code loom verify} prints. */
    public String summaryLine()
    {
        return "verify venue=" + venueId +
            " frames=" + get(FeedCounter.FRAMES) +
            " book_msgs=" + get(FeedCounter.BOOK_MESSAGES) +
            " checksums_ok=" + get(FeedCounter.CHECKSUMS_OK) +
            " checksums_failed=" + get(FeedCounter.CHECKSUMS_FAILED) +
            " bookticker_ok=" + topOfBookOk +
            " bookticker_failed=" + topOfBookFailed +
            " gaps=" + get(FeedCounter.GAPS) +
            " resyncs=" + get(FeedCounter.RESYNCS) +
            " crossed=" + crossedBooks +
            " errors=" + errors();
    }

    /**
     * @param capture how to name the capture (its path as given).
     * @return the same figures as one JSON object, plus the capture, {@code frames_per_s} and
     *         {@code passed}.
     */
    public String json(final String capture)
    {
        return "{\"capture\":\"" + jsonEscape(capture) + "\"" +
            ",\"venue\":\"" + jsonEscape(venueId) + "\"" +
            ",\"frames\":" + get(FeedCounter.FRAMES) +
            ",\"book_msgs\":" + get(FeedCounter.BOOK_MESSAGES) +
            ",\"checksums_ok\":" + get(FeedCounter.CHECKSUMS_OK) +
            ",\"checksums_failed\":" + get(FeedCounter.CHECKSUMS_FAILED) +
            ",\"bookticker_ok\":" + topOfBookOk +
            ",\"bookticker_failed\":" + topOfBookFailed +
            ",\"gaps\":" + get(FeedCounter.GAPS) +
            ",\"resyncs\":" + get(FeedCounter.RESYNCS) +
            ",\"crossed\":" + crossedBooks +
            ",\"errors\":" + errors() +
            ",\"frames_per_s\":" + String.format(Locale.ROOT, "%.0f", framesPerSecond()) +
            ",\"passed\":" + passed() + "}";
    }

    private static String jsonEscape(final String text)
    {
        final StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                escaped.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                escaped.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
