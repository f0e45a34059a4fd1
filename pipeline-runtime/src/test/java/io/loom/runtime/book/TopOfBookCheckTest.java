package io.loom.runtime.book;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TopOfBookCheck}'s two rings once they have wrapped: a quote finds the newest applied
 * messages and only those, and pending quotes pushed out or passed over are counted unchecked,
 * the rest settled in order.
 */
class TopOfBookCheckTest
{
    private static final int CAPACITY = 4;

    @Test
    void shouldFindOnlyTheNewestAppliedMessagesAfterTheAppliedRingWrapped()
    {
        final TopOfBookCheck check = new TopOfBookCheck(CAPACITY, CAPACITY);
        for (long id = 1; id <= 3 * CAPACITY + 1; id++)
        {
            check.onMessageApplied(id, 100 + id, 1, 200 + id, 2);
            assertEquals(0, check.settledAgreed() + check.settledDisagreed() + check.takeUnchecked(), "nothing pending at message " + id);
        }
        for (long id = 3 * CAPACITY + 1; id > 2 * CAPACITY + 1; id--)
        {
            assertEquals(TopOfBookCheck.AGREED, check.onQuote(id, 100 + id, 1, 200 + id, 2), "message " + id + " is remembered");
            assertEquals(TopOfBookCheck.DISAGREED, check.onQuote(id, 100 + id, 1, 201 + id, 2), "message " + id + "'s ask differs");
        }
        assertEquals(0, check.takeUnchecked());
        assertEquals(TopOfBookCheck.NO_MATCH, check.onQuote(2 * CAPACITY + 1, 100 + 2 * CAPACITY + 1, 1, 200 + 2 * CAPACITY + 1, 2),
            "the message before the newest " + CAPACITY + " was overwritten");
        assertEquals(1, check.takeUnchecked());
    }

    @Test
    void shouldCountPushedOutAndPassedOverQuotesUncheckedAfterThePendingRingWrapped()
    {
        final TopOfBookCheck check = new TopOfBookCheck(CAPACITY, CAPACITY);
        check.onMessageApplied(10, 110, 1, 210, 2);
        check.takeUnchecked();
        for (long id = 11; id <= 10 + CAPACITY + 2; id++)
        {
            assertEquals(TopOfBookCheck.NO_MATCH, check.onQuote(id, 100 + id, 1, 200 + id, 2), "quote " + id + " waits for its message");
        }
        assertEquals(2, check.takeUnchecked(), "quotes 11 and 12 were pushed out of the full pending ring");
        check.onMessageApplied(15, 115, 1, 215, 2);
        assertEquals(1, check.settledAgreed(), "quote 15 agreed");
        assertEquals(0, check.settledDisagreed());
        assertEquals(2, check.takeUnchecked(), "quotes 13 and 14 found no message of theirs");
        check.onMessageApplied(16, 116, 1, 999, 2);
        assertEquals(0, check.settledAgreed());
        assertEquals(1, check.settledDisagreed(), "quote 16 disagreed with its message's ask");
        assertEquals(0, check.takeUnchecked());
    }
}
