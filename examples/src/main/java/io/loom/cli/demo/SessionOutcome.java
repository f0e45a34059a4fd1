package io.loom.cli.demo;

import io.loom.runtime.book.BookChangeDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo found for one bundled recording once the live run and the replay of its journal
 * were over.
 *
 * @param label          the recording ({@code kraken-v1/10pairs_book1000_2021-04-17}).
 * @param venue          its venue id.
 * @param books          books the recording fills (offline verification's books).
 * @param booksVerified  live books equal to the offline ones, state and every level.
 * @param disagreements  one line per book that differs (or is missing) live.
 * @param checksOk       the session's checks that passed live (checksums, bookTicker cross-checks).
 * @param checksFailed   the checks that failed live.
 * @param gaps           sequence gaps the live feed saw (nothing is lost on loopback: a gap is a failure).
 * @param errors         messages the live feed could not decode.
 * @param lastError      the feed's last error text, or empty.
 * @param framesReceived WebSocket frames the session received.
 * @param framesRecorded WebSocket frames of the recording.
 * @param liveDigest     the live order-book stage's output digest for this session.
 * @param replayDigest   the digest of the replay of this session's journal.
 * @param failure        what went wrong outside the checks (journal, replay), or empty.
 */
public record SessionOutcome(
    String label,
    String venue,
    int books,
    int booksVerified,
    List<String> disagreements,
    long checksOk,
    long checksFailed,
    long gaps,
    long errors,
    String lastError,
    long framesReceived,
    long framesRecorded,
    long liveDigest,
    long replayDigest,
    String failure)
{
    /** Copies the list. */
    public SessionOutcome
    {
        disagreements = List.copyOf(disagreements);
    }

    /** @return true when the live digest equals the replay's. */
    public boolean digestsMatch()
    {
        return failure.isEmpty() && liveDigest == replayDigest;
    }

    /** @return true when every book was verified, no check failed, nothing was lost or in error, and the digests match. */
    public boolean passed()
    {
        return reasons().isEmpty();
    }

    /** @return why this session fails the demo, one short phrase each; empty when it passed. */
    public List<String> reasons()
    {
        final List<String> reasons = new ArrayList<>();
        if (!failure.isEmpty())
        {
            reasons.add(failure);
        }
        if (booksVerified != books)
        {
            reasons.add((books - booksVerified) + " book(s) differ from offline verification: " + String.join("; ", disagreements));
        }
        if (checksFailed > 0)
        {
            reasons.add(checksFailed + " check(s) failed" + (lastError.isEmpty() ? "" : " (" + lastError + ")"));
        }
        if (gaps > 0)
        {
            reasons.add(gaps + " sequence gap(s)");
        }
        if (errors > 0)
        {
            reasons.add(errors + " malformed message(s)" + (lastError.isEmpty() ? "" : " (" + lastError + ")"));
        }
        if (failure.isEmpty() && liveDigest != replayDigest)
        {
            reasons.add("replay digest " + BookChangeDigest.hex(replayDigest) + " differs from live " + BookChangeDigest.hex(liveDigest));
        }
        return reasons;
    }

    /** @return the session's report line. */
    public String line()
    {
        return "demo session=" + label +
            " books=" + booksVerified + "/" + books + " verified" +
            " checks_ok=" + checksOk +
            " checks_failed=" + checksFailed +
            " gaps=" + gaps +
            " errors=" + errors +
            " frames=" + framesReceived + "/" + framesRecorded +
            " digest live=" + BookChangeDigest.hex(liveDigest) +
            " replay=" + (failure.isEmpty() ? BookChangeDigest.hex(replayDigest) : "-") +
            (digestsMatch() ? " match" : " MISMATCH");
    }
}
