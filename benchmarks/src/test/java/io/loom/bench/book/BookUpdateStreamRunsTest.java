package io.loom.bench.book;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The messages of a {@link BookUpdateStream} and the one-side runs {@code OrderBook.putAll} is measured with. */
class BookUpdateStreamRunsTest
{
    @Test
    void shouldLayOutEachMessageAsItsBidsThenItsAsksInTheirOwnOrder()
    {
        for (final BookUpdateStream stream : new BookUpdateStream[] {BookUpdateStream.generate(20, 42), RecordedBookUpdates.replay(20)})
        {
            assertEquals(0, stream.messageStart[0]);
            assertEquals(BookUpdateStream.UPDATES, stream.messageStart[stream.messages]);
            assertEquals(BookUpdateStream.UPDATES, stream.runStart[stream.runs]);
            assertEquals(stream.runs, stream.messageRuns[stream.messages]);
            for (int message = 0; message < stream.messages; message++)
            {
                int next = stream.runStart[stream.messageRuns[message]];
                assertEquals(stream.messageStart[message], next, "message " + message + " starts its first run");
                for (final boolean bid : new boolean[] {true, false})
                {
                    for (int i = stream.messageStart[message]; i < stream.messageStart[message + 1]; i++)
                    {
                        if (stream.bid[i] == bid)
                        {
                            final int run = runOf(stream, next);
                            assertEquals(bid, stream.runSide[run] == io.loom.api.event.Side.BID, "update " + i + "'s run side");
                            assertEquals(stream.price[i], stream.runPrice[next], "update " + i + "'s price in its run");
                            assertEquals(stream.quantity[i], stream.runQuantity[next], "update " + i + "'s quantity in its run");
                            next++;
                        }
                    }
                }
                assertEquals(stream.messageStart[message + 1], next, "message " + message + " ends with its last run");
            }
        }
    }

    @Test
    void shouldKeepTheRecordedMessagesAndCutTheGeneratedStreamInMessagesOfEight()
    {
        final BookUpdateStream generated = BookUpdateStream.generate(20, 42);
        assertEquals(BookUpdateStream.UPDATES / BookLevelUpdateLatency.MESSAGE_LEVELS, generated.messages);
        final BookUpdateStream recorded = RecordedBookUpdates.replay(20);
        int longer = 0;
        for (int message = 0; message < recorded.messages; message++)
        {
            longer += recorded.messageStart[message + 1] - recorded.messageStart[message] > BookLevelUpdateLatency.MESSAGE_LEVELS ? 1 : 0;
        }
        assertTrue(longer > 100 && recorded.messages < BookUpdateStream.UPDATES / 2,
            recorded.messages + " recorded messages, " + longer + " of them longer than " + BookLevelUpdateLatency.MESSAGE_LEVELS + " updates");
    }

    private static int runOf(final BookUpdateStream stream, final int index)
    {
        int run = 0;
        while (stream.runStart[run + 1] <= index)
        {
            run++;
        }
        return run;
    }
}
