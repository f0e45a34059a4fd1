package io.loom.connectors.record;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test stage: writes down every event an order-book stage acts on (levels, snapshot boundaries,
 * statuses), per instrument, so two runs that should agree can show where they first differ.
 *
 * <p>Thread-safety: written on its stage's thread; read {@link #byInstrument()} after the pipeline closed.
 */
final class BookEventLog implements Stage
{
    private final Map<String, List<String>> byInstrument = new LinkedHashMap<>();
    private InstrumentRegistry instruments;

    @Override
    public void onStart(final StageContext context)
    {
        instruments = context.instruments();
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.kind() == EventKind.TRADE)
        {
            return;
        }
        final String symbol = instruments.byId(event.instrumentId()).symbol();
        final String line = switch (event.kind())
        {
            case BOOK_LEVEL -> event.side() + " " + event.price() + " " + event.quantity();
            case STATUS -> "STATUS " + event.status();
            default -> event.kind().name();
        };
        byInstrument.computeIfAbsent(symbol, s -> new ArrayList<>()).add(line + (event.isLastOfMessage() ? " |" : ""));
    }

    /** @return the events by instrument symbol, in ring order. */
    Map<String, List<String>> byInstrument()
    {
        return byInstrument;
    }

    /**
     * @param other another run's log.
     * @return where the two logs first differ, instrument by instrument, or an empty string if they agree.
     */
    String firstDifferences(final BookEventLog other)
    {
        final StringBuilder differences = new StringBuilder();
        for (final String symbol : union(other))
        {
            final List<String> mine = byInstrument.getOrDefault(symbol, List.of());
            final List<String> theirs = other.byInstrument.getOrDefault(symbol, List.of());
            int i = 0;
            while (i < mine.size() && i < theirs.size() && mine.get(i).equals(theirs.get(i)))
            {
                i++;
            }
            if (i < mine.size() || i < theirs.size())
            {
                differences.append(String.format("%s: %d vs %d events, first difference at %d: %s vs %s (before: %s)%n", symbol,
                    mine.size(), theirs.size(), i, at(mine, i), at(theirs, i), mine.subList(Math.max(0, i - 4), Math.min(i, mine.size()))));
            }
        }
        return differences.toString();
    }

    private List<String> union(final BookEventLog other)
    {
        final List<String> symbols = new ArrayList<>(byInstrument.keySet());
        for (final String symbol : other.byInstrument.keySet())
        {
            if (!symbols.contains(symbol))
            {
                symbols.add(symbol);
            }
        }
        return symbols;
    }

    private static String at(final List<String> events, final int index)
    {
        return index < events.size() ? events.get(index) : "(end)";
    }
}
