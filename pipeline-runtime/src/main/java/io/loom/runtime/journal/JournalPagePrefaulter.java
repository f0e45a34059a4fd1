package io.loom.runtime.journal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the queue file's pages just ahead of the journal's write position in small, bounded steps,
 * so that Chronicle's stores into them take no page fault, and no single fault zero-fills a whole
 * read-ahead window.
 *
 * <p>Why: a store into a page the file does not hold yet faults, and the kernel's mmap read-around
 * then allocates and zero-fills a window of {@code read_ahead_kb} (8 MiB on this VM's disk) inside
 * that one fault: ~10-20 ms of kernel time that a non-preemptible kernel ({@code PREEMPT_NONE})
 * does not interrupt, so whatever thread waits for that core waits as long. Here each chunk mapping
 * gets {@code MADV_RANDOM} (no read-around) when the journal first writes into it, and after each
 * commit {@code MADV_POPULATE_WRITE} maps the next {@link #AHEAD_BYTES} in calls of
 * {@link #STEP_BYTES} (16 pages, ~0.1-0.2 ms each here), returning to user mode between calls.
 *
 * <pre>
 *   chunk mapping:  |==== written ====|w|-- populated ahead (&lt;= AHEAD_BYTES) --|........ not yet mapped ........|
 *                                      ▲ write position after a commit: populate [max(populated, w), w + AHEAD)
 * </pre>
 *
 * <p>Where {@code madvise} is unavailable or refuses a range, pages are faulted in by the stores as
 * before: the journal works the same, only without this; each refusal is counted and the first one
 * logged.
 *
 * <p>Thread-safety: confined to the thread that owns the {@link JournalAppender}. Allocates nothing
 * in steady state.
 */
final class JournalPagePrefaulter
{
    /** How far ahead of the write position pages are mapped after a commit. */
    static final long AHEAD_BYTES = 1 << 20;
    /** The bytes one {@code madvise(MADV_POPULATE_WRITE)} call maps. */
    static final long STEP_BYTES = 64 << 10;

    private static final Logger LOG = LoggerFactory.getLogger(JournalPagePrefaulter.class);

    private final String name;
    private BytesStore<?, ?> chunk;
    private long chunkAddress;
    private long chunkStart;
    private long chunkEnd;
    private long populatedTo;
    private long refusals;

    JournalPagePrefaulter(final String name)
    {
        this.name = name;
    }

    /**
     * Maps the pages after {@code writePosition}, up to {@link #AHEAD_BYTES} ahead, that are not mapped yet.
     *
     * @param store         the chunk of the queue file the last excerpt was written into.
     * @param writePosition the file offset just past that excerpt.
     */
    void populateAhead(final BytesStore<?, ?> store, final long writePosition)
    {
        if (store != chunk)
        {
            enter(store);
        }
        if (chunkAddress == 0)
        {
            return;
        }
        final long writePage = pageFloor(writePosition);
        long from = Math.max(populatedTo, writePage);
        final long to = Math.min(chunkEnd, writePage + AHEAD_BYTES);
        while (from < to)
        {
            final long length = Math.min(STEP_BYTES, to - from);
            final int errno = MappedPageAdvice.populateForWrite(chunkAddress + (from - chunkStart), length);
            if (errno != 0)
            {
                refused("MADV_POPULATE_WRITE", errno);
                return;
            }
            from += length;
        }
        populatedTo = from;
    }

    /** @return the {@code madvise} calls the kernel refused (the journal then faults pages in by writing). */
    long refusals()
    {
        return refusals;
    }

    private void enter(final BytesStore<?, ?> store)
    {
        chunk = store;
        chunkAddress = 0;
        chunkStart = 0;
        if (!MappedPageAdvice.isAvailable() || !(store instanceof MappedBytesStore mapped))
        {
            return;
        }
        final long start = mapped.start();
        final long address = mapped.addressForWrite(start);
        final long end = start + pageFloor(mapped.safeLimit() - start);
        if (address % MappedPageAdvice.PAGE_BYTES != 0 || end <= start)
        {
            return;
        }
        chunkStart = start;
        final int errno = MappedPageAdvice.adviseRandomAccess(address, end - start);
        if (errno != 0)
        {
            refused("MADV_RANDOM", errno);
            return;
        }
        chunkAddress = address;
        chunkEnd = end;
        populatedTo = start;
    }

    private void refused(final String advice, final int errno)
    {
        chunkAddress = 0;
        if (refusals++ == 0)
        {
            LOG.warn("journal {}: madvise({}) refused (errno {}) for the chunk at file offset {}: its pages are faulted in by writes",
                name, advice, errno, chunkStart);
        }
    }

    private static long pageFloor(final long position)
    {
        return position & -MappedPageAdvice.PAGE_BYTES;
    }
}
