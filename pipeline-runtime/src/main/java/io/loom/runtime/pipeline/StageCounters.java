package io.loom.runtime.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before a stage's counters, which its thread writes for every batch. */
abstract class StageCountersLhsPadding
{
    byte p000, p001, p002, p003, p004, p005, p006, p007, p010, p011, p012, p013, p014, p015, p016, p017;
    byte p020, p021, p022, p023, p024, p025, p026, p027, p030, p031, p032, p033, p034, p035, p036, p037;
    byte p040, p041, p042, p043, p044, p045, p046, p047, p050, p051, p052, p053, p054, p055, p056, p057;
    byte p060, p061, p062, p063, p064, p065, p066, p067, p070, p071, p072, p073, p074, p075, p076, p077;
}

/** The counters, on their own cache line(s). */
abstract class StageCountersFields extends StageCountersLhsPadding
{
    long events;
    long batches;
    long exceptions;
}

/** Padding after a stage's counters. */
abstract class StageCountersRhsPadding extends StageCountersFields
{
    byte p100, p101, p102, p103, p104, p105, p106, p107, p110, p111, p112, p113, p114, p115, p116, p117;
    byte p120, p121, p122, p123, p124, p125, p126, p127, p130, p131, p132, p133, p134, p135, p136, p137;
    byte p140, p141, p142, p143, p144, p145, p146, p147, p150, p151, p152, p153, p154, p155, p156, p157;
    byte p160, p161, p162, p163, p164, p165, p166, p167, p170, p171, p172, p173, p174, p175, p176, p177;
}

/**
 * One stage's event, batch and exception counts, padded so that stage threads writing their own
 * counters never share a cache line.
 *
 * <p>Thread-safety: single writer (the stage's thread) with ordered stores; any thread may read.
 */
final class StageCounters extends StageCountersRhsPadding
{
    private static final VarHandle EVENTS;
    private static final VarHandle BATCHES;
    private static final VarHandle EXCEPTIONS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            EVENTS = lookup.findVarHandle(StageCountersFields.class, "events", long.class);
            BATCHES = lookup.findVarHandle(StageCountersFields.class, "batches", long.class);
            EXCEPTIONS = lookup.findVarHandle(StageCountersFields.class, "exceptions", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * One batch begun; the stage's thread only.
     *
     * @param batchSize its events, counted as handled from now on.
     */
    void onBatch(final long batchSize)
    {
        EVENTS.setRelease(this, events + batchSize);
        BATCHES.setRelease(this, batches + 1);
    }

    /**
     * Takes back the rest of a batch that a failure split in two; the stage's thread only.
     *
     * @param events the batch's events after the failed one, which the second part counts again.
     */
    void uncount(final long events)
    {
        EVENTS.setRelease(this, this.events - events);
        BATCHES.setRelease(this, batches - 1);
    }

    /** One exception caught; the stage's thread only. */
    void onException()
    {
        EXCEPTIONS.setRelease(this, exceptions + 1);
    }

    /** @return events handled. */
    long events()
    {
        return (long)EVENTS.getAcquire(this);
    }

    /** @return batches handled. */
    long batches()
    {
        return (long)BATCHES.getAcquire(this);
    }

    /** @return exceptions caught. */
    long exceptions()
    {
        return (long)EXCEPTIONS.getAcquire(this);
    }
}
