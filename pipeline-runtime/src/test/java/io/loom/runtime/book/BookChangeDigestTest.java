package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class BookChangeDigestTest
{
    private long btcKey;
    private long ethKey;

    @BeforeEach
    void keys()
    {
        final InstrumentRegistry instruments = new InstrumentRegistry();
        btcKey = BookChangeDigest.instrumentKey(instruments.intern(Venue.SYNTHETIC, "BTCUSDT", -2, -8));
        ethKey = BookChangeDigest.instrumentKey(instruments.intern(Venue.SYNTHETIC, "ETHUSDT", -2, -8));
    }

    @Test
    void shouldNotDependOnHowChangesOfDifferentBooksInterleave()
    {
        final BookChangeDigest booksInTurn = digest(0, 1);
        booksInTurn.onClear(0);
        booksInTurn.onLevel(0, Side.BID, 100, 5);
        booksInTurn.onState(0, BookState.VALID);
        booksInTurn.onClear(1);
        booksInTurn.onLevel(1, Side.ASK, 200, 7);

        final BookChangeDigest interleaved = digest(0, 1);
        interleaved.onClear(1);
        interleaved.onClear(0);
        interleaved.onLevel(0, Side.BID, 100, 5);
        interleaved.onLevel(1, Side.ASK, 200, 7);
        interleaved.onState(0, BookState.VALID);

        assertEquals(booksInTurn.value(), interleaved.value());
        assertNotEquals(BookChangeDigest.SEED, booksInTurn.value());
    }

    @Test
    void shouldDigestARunOfLevelsFoldedOutsideAsLevelByLevel()
    {
        final BookChangeDigest levelByLevel = digest(0, 1);
        levelByLevel.onClear(0);
        levelByLevel.onLevel(0, Side.BID, 100, 5);
        levelByLevel.onLevel(0, Side.ASK, 101, 0);
        levelByLevel.onLevel(0, Side.BID, 99, 2);
        levelByLevel.onState(0, BookState.VALID);

        final BookChangeDigest folded = digest(0, 1);
        folded.onClear(0);
        long run = folded.bookDigest(0);
        run = BookChangeDigest.level(run, Side.BID, 100, 5);
        run = BookChangeDigest.level(run, Side.ASK, 101, 0);
        run = BookChangeDigest.level(run, Side.BID, 99, 2);
        folded.onLevels(0, run);
        folded.onState(0, BookState.VALID);

        final BookChangeDigest noLevels = digest(0, 1);
        noLevels.onClear(0);
        noLevels.onState(0, BookState.VALID);
        assertEquals(levelByLevel.value(), folded.value());
        assertNotEquals(noLevels.value(), folded.value(), "the run was folded in");
    }

    @Test
    void shouldDependOnTheOrderOfOneBooksChanges()
    {
        final BookChangeDigest levelThenValid = digest(0, 1);
        levelThenValid.onLevel(0, Side.BID, 100, 5);
        levelThenValid.onState(0, BookState.VALID);

        final BookChangeDigest validThenLevel = digest(0, 1);
        validThenLevel.onState(0, BookState.VALID);
        validThenLevel.onLevel(0, Side.BID, 100, 5);

        assertNotEquals(levelThenValid.value(), validThenLevel.value());
    }

    @Test
    void shouldDependOnWhichBookGotAChangeAndOnEveryChange()
    {
        final BookChangeDigest onBtc = digest(0, 1);
        onBtc.onLevel(0, Side.BID, 100, 5);
        final BookChangeDigest onEth = digest(0, 1);
        onEth.onLevel(1, Side.BID, 100, 5);
        assertNotEquals(onBtc.value(), onEth.value());

        final BookChangeDigest swappedAcrossBooks = digest(0, 1);
        swappedAcrossBooks.onLevel(0, Side.BID, 100, 5);
        swappedAcrossBooks.onLevel(1, Side.BID, 100, 6);
        final BookChangeDigest other = digest(0, 1);
        other.onLevel(0, Side.BID, 100, 6);
        other.onLevel(1, Side.BID, 100, 5);
        assertNotEquals(swappedAcrossBooks.value(), other.value());

        final BookChangeDigest oneMore = digest(0, 1);
        oneMore.onLevel(0, Side.BID, 100, 5);
        oneMore.onLevel(0, Side.BID, 100, 5);
        assertNotEquals(onBtc.value(), oneMore.value(), "a repeated change counts");
    }

    @Test
    void shouldNotDependOnInternedIds()
    {
        final BookChangeDigest btcFirst = digest(0, 1);
        btcFirst.onLevel(0, Side.BID, 100, 5);
        btcFirst.onLevel(1, Side.ASK, 200, 7);

        final BookChangeDigest ethFirst = new BookChangeDigest();
        ethFirst.addBook(0, ethKey);
        ethFirst.addBook(5, btcKey);
        ethFirst.onLevel(5, Side.BID, 100, 5);
        ethFirst.onLevel(0, Side.ASK, 200, 7);

        assertEquals(btcFirst.value(), ethFirst.value());
    }

    @Test
    void shouldStayAtTheSeedForBooksThatNeverChanged()
    {
        assertEquals(BookChangeDigest.SEED, digest(0, 1).value());
    }

    @Test
    void shouldGiveTheSameValueWhetherReadAfterEveryChangeOrOnceAtTheEnd()
    {
        final BookChangeDigest readEveryTime = digest(0, 1);
        final BookChangeDigest readAtTheEnd = digest(0, 1);
        long previous = readEveryTime.value();
        for (int i = 0; i < 100; i++)
        {
            final int book = i % 3 == 0 ? 1 : 0;
            readEveryTime.onLevel(book, i % 2 == 0 ? Side.BID : Side.ASK, 100 + i, i);
            readAtTheEnd.onLevel(book, i % 2 == 0 ? Side.BID : Side.ASK, 100 + i, i);
            if (i % 10 == 0)
            {
                readEveryTime.onState(book, BookState.VALID);
                readAtTheEnd.onState(book, BookState.VALID);
            }
            final long value = readEveryTime.value();
            assertNotEquals(previous, value, "change " + i + " moved the digest");
            previous = value;
        }
        assertEquals(readEveryTime.value(), readAtTheEnd.value());
        assertEquals(readAtTheEnd.value(), readAtTheEnd.value(), "reading settles nothing twice");
    }

    private BookChangeDigest digest(final int btc, final int eth)
    {
        final BookChangeDigest digest = new BookChangeDigest();
        digest.addBook(btc, btcKey);
        digest.addBook(eth, ethKey);
        return digest;
    }
}
