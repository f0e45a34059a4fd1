package io.loom.api.stage;

import io.loom.api.instrument.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class DetachedStageContextTest
{
    @Test
    void shouldGiveItsNameAndInstrumentsAndHandEachResyncRequestToTheCallback()
    {
        final InstrumentRegistry instruments = new InstrumentRegistry();
        final List<Integer> requested = new ArrayList<>();
        final StageContext context = new DetachedStageContext("books", instruments, requested::add);

        context.requestResync(7);
        context.requestResync(3);

        assertEquals("books", context.stageName());
        assertSame(instruments, context.instruments());
        assertEquals(List.of(7, 3), requested);
    }

    @Test
    void shouldRefuseEveryUpstreamViewNamingTheStageAsked()
    {
        final StageContext context = new DetachedStageContext("spread", new InstrumentRegistry(), instrumentId -> { });

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> context.upstreamView("books", Object.class));

        assertEquals("stage 'spread' runs outside a pipeline: there is no upstream stage 'books'", refused.getMessage());
    }
}
