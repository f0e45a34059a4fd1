package io.loom.runtime.journal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advises each chunk mapping of the queue file the journal writes into, once, when the journal
 * first commits into it: {@code MADV_HUGEPAGE} and {@code MADV_RANDOM}, so that a store into a page
 * the file does not hold yet faults in one 2 MiB folio, mapped by one page-table entry, instead of
 * the kernel's mmap read-around zero-filling a whole {@code read_ahead_kb} window (8 MiB on this
 * VM's disk) inside that one fault.
 *
 * <p>Why (journal8, {@code MappedPageCostHarness}): on this VM one such read-around fault took
 * 20-27 ms of CPU, which a non-preemptible kernel ({@code PREEMPT_NONE}) does not interrupt, so a
 * reactor or stage thread waiting for that core waits as long; with both advices the longest fault
 * took 8-9 ms, for the same CPU per page. {@code MADV_POPULATE_WRITE} ahead of the write position
 * in 64 KiB steps bounded faults to ~1-4 ms but cost 1.3x the CPU per page: not used.
 *
 * <p>Where {@code madvise} is unavailable, transparent huge pages are off, or the kernel refuses a
 * range, pages are faulted in as before: the journal works the same, only without this; each
 * refusal is counted and the first one logged.
 *
 * <p>Thread-safety: confined to the thread that owns the {@link JournalAppender}. Allocates nothing
 * in steady state.
 */
final class JournalChunkAdvisor
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalChunkAdvisor.class);

    private final String name;
    private BytesStore<?, ?> chunk;
    private long refusals;

    JournalChunkAdvisor(final String name)
    {
        this.name = name;
    }

    /**
     * Advises the chunk the journal's bytes are in, unless it was advised already.
     *
     * @param store the chunk of the queue file the journal's bytes are positioned in (still held by them).
     */
    void adviseIfNew(final BytesStore<?, ?> store)
    {
        if (store == chunk)
        {
            return;
        }
        chunk = store;
        if (!MappedPageAdvice.isAvailable() || !(store instanceof MappedBytesStore mapped))
        {
            return;
        }
        final long start = mapped.start();
        final long address = mapped.addressForWrite(start);
        final long length = (mapped.capacity() - start) & -MappedPageAdvice.PAGE_BYTES;
        if (address % MappedPageAdvice.PAGE_BYTES != 0 || length <= 0)
        {
            return;
        }
        final int hugeErrno = MappedPageAdvice.adviseHugePages(address, length);
        if (hugeErrno != 0)
        {
            refused("MADV_HUGEPAGE", hugeErrno, start);
        }
        final int randomErrno = MappedPageAdvice.adviseRandomAccess(address, length);
        if (randomErrno != 0)
        {
            refused("MADV_RANDOM", randomErrno, start);
        }
    }

    /** @return the {@code madvise} calls the kernel refused (the journal then faults pages in as before). */
    long refusals()
    {
        return refusals;
    }

    private void refused(final String advice, final int errno, final long chunkStart)
    {
        if (refusals++ == 0)
        {
            LOG.warn("journal {}: madvise({}) refused (errno {}) for the chunk at file offset {}: its pages are faulted in as before",
                name, advice, errno, chunkStart);
        }
    }
}
