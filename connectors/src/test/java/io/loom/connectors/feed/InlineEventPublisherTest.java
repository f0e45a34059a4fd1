package io.loom.connectors.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.source.EventPublisher;
import io.loom.api.stage.Stage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InlineEventPublisherTest
{
    @Test
    void handsAMessageToTheStageInOrderWithBoundaryFlagsAndSourceId()
    {
        final List<String> seen = new ArrayList<>();
        final Stage stage = (event, sequence, endOfBatch) ->
            seen.add(sequence + ":" + event.price() + ":" + event.flags() + ":" + event.sourceId() + ":" + endOfBatch);
        final InlineEventPublisher publisher = new InlineEventPublisher(stage, 9, 2);

        final EventPublisher.MessageClaim claim = publisher.claim(3);
        for (int i = 0; i < 3; i++)
        {
            claim.event(i).bookLevel(1, Side.BID, 100 + i, 1);
        }
        assertTrue(claim.publish());
        publisher.claim(1).event(0).bookLevel(1, Side.ASK, 200, 1);
        publisher.claim(1).publish();

        assertEquals(List.of(
            "0:100:" + MarketEvent.FIRST_OF_MESSAGE + ":9:false",
            "1:101:0:9:false",
            "2:102:" + MarketEvent.LAST_OF_MESSAGE + ":9:true",
            "3:200:" + (MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE) + ":9:true"), seen);
        assertEquals(4, publisher.published());
    }

    @Test
    void rejectsEmptyClaimsAndIndexesOutsideTheClaim()
    {
        final InlineEventPublisher publisher = new InlineEventPublisher((event, sequence, endOfBatch) -> { }, 1, 4);

        assertThrows(IllegalArgumentException.class, () -> publisher.claim(0));
        final EventPublisher.MessageClaim claim = publisher.claim(2);
        assertThrows(IndexOutOfBoundsException.class, () -> claim.event(2));
    }

    @Test
    void aCheckedStageFailureSurfacesWrapped()
    {
        final InlineEventPublisher publisher = new InlineEventPublisher((event, sequence, endOfBatch) ->
        {
            throw new java.io.IOException("disk full");
        }, 1, 1);
        publisher.claim(1).event(0).bookLevel(1, Side.BID, 1, 1);

        final IllegalStateException failure = assertThrows(IllegalStateException.class, () -> publisher.claim(1).publish());
        assertEquals("disk full", failure.getCause().getMessage());
    }
}
