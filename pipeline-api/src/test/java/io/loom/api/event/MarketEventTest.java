package io.loom.api.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message stamp a publisher writes when it hands out a claimed slot: {@code clear()} keeps it
 * on a stamped slot and resets it on an event never stamped; copies carry it.
 */
class MarketEventTest
{
    @Test
    void shouldKeepTheMessageStampWhenAStampedSlotIsCleared()
    {
        final MarketEvent slot = new MarketEvent().messageStamp(7, MarketEvent.FIRST_OF_MESSAGE)
            .bookLevel(3, Side.ASK, 101, 2).venueId(4).sequence(9).receiveTimeNs(11).levelHint(1);

        slot.clear();

        assertEquals(7, slot.sourceId());
        assertEquals(MarketEvent.FIRST_OF_MESSAGE, slot.flags());
        assertTrue(slot.isFirstOfMessage());
        assertFalse(slot.isLastOfMessage());
        assertEquals(0, slot.venueId());
        assertEquals(0, slot.instrumentId());
        assertEquals(EventKind.STATUS, slot.kind());
        assertEquals(Side.NONE, slot.side());
        assertEquals(FeedStatus.VALID, slot.status());
        assertEquals(0, slot.price());
        assertEquals(0, slot.quantity());
        assertEquals(0, slot.sequence());
        assertEquals(0, slot.receiveTimeNs());
        assertEquals(MarketEvent.NO_LEVEL_HINT, slot.levelHint());
    }

    @Test
    void shouldResetFlagsAndSourceIdWhenAnEventNeverStampedIsCleared()
    {
        final MarketEvent event = new MarketEvent().sourceId(5).flags(MarketEvent.LAST_OF_MESSAGE);

        event.clear();

        assertEquals(0, event.sourceId());
        assertEquals(0, event.flags());
    }

    @Test
    void shouldRestampAndLetExplicitSettersOverwriteTheStamp()
    {
        final MarketEvent slot = new MarketEvent().messageStamp(2, MarketEvent.FIRST_OF_MESSAGE);

        slot.messageStamp(3, MarketEvent.LAST_OF_MESSAGE);
        assertEquals(3, slot.sourceId());
        assertEquals(MarketEvent.LAST_OF_MESSAGE, slot.flags());

        slot.clear().sourceId(4).flags(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE);
        assertEquals(4, slot.sourceId());
        assertEquals(MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE, slot.clear().flags());
    }

    @Test
    void shouldCarryTheStampAcrossACopy()
    {
        final MarketEvent queued = new MarketEvent().messageStamp(6, MarketEvent.LAST_OF_MESSAGE).feedStatus(1, FeedStatus.STALE);
        final MarketEvent slot = new MarketEvent().copyFrom(queued);

        slot.clear();

        assertEquals(6, slot.sourceId());
        assertEquals(MarketEvent.LAST_OF_MESSAGE, slot.flags());
    }
}
