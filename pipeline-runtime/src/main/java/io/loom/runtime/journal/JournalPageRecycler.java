package io.loom.runtime.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;

/**
 * Keeps the page cache of the queue file the journal writes bounded, so that the memory of pages
 * written long ago is handed out again for the pages written next: after each commit, every whole
 * {@link #STEP_BYTES} region behind the write position is queued for writeback at once
 * ({@link PageCacheControl#startWriteBack}, no waiting), and regions more than {@code keepBytes}
 * behind it are dropped from the cache once clean ({@link PageCacheControl#dropClean}; pages still
 * dirty, under writeback or mapped are skipped by the kernel and stay cached).
 *
 * <pre>
 *   file: [ dropped (on disk only) | written back or being written | kept cached: keepBytes | write position ▶ sparse
 * </pre>
 *
 * <p>Why (journal9 in benchmarks/README.md, {@code results/journal-s9-page-cost*.txt}): on this VM a
 * page new to the guest costs ~10-11 µs of kernel CPU (the host backs it), while a page the guest
 * freed moments ago costs ~3-4 µs; a journal that only grows takes new memory for every page.
 * Dropping its written, clean pages recycles them: 0.44-0.49x the writing thread's CPU per page in
 * that harness, 0.39-0.58x the journal appender's CPU per record.
 * Writes are unchanged: a reader, a crashed process or replay see the same bytes (dropped pages are
 * on disk and read back on demand); the pages reach the disk earlier than the kernel's flusher
 * would write them. Where the disk is slower than the journal, pages are still dirty when their
 * turn comes, are not dropped, and the journal costs what it did without this.
 *
 * <p>Where the calls are unavailable or refused, nothing changes; refusals are counted and the first
 * one logged.
 *
 * <p>Thread-safety: confined to the thread that owns the {@link JournalAppender}. Allocates nothing
 * in steady state (opening the next cycle's file allocates its path).
 */
final class JournalPageRecycler implements AutoCloseable
{
    /** The granularity of writeback and dropping, bytes. */
    static final long STEP_BYTES = 4L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(JournalPageRecycler.class);

    private final String name;
    private final long keepBytes;
    private File file;
    private int fd = -1;
    private long writtenBackTo;
    private long droppedTo;
    private long dropped;
    private long refusals;

    /**
     * @param name      the journal's name, for the log.
     * @param keepBytes how far behind the write position pages stay cached: past the chunk mappings
     *                  the queue may still hold (mapped pages are never dropped, but need not be tried).
     */
    JournalPageRecycler(final String name, final long keepBytes)
    {
        this.name = name;
        this.keepBytes = keepBytes;
    }

    /**
     * Called after each commit.
     *
     * @param current       the queue file the commit went into.
     * @param writePosition the file offset where the committed bytes end.
     */
    void afterCommit(final File current, final long writePosition)
    {
        if (current != file)
        {
            switchTo(current);
        }
        if (fd < 0)
        {
            return;
        }
        final long complete = writePosition - writePosition % STEP_BYTES;
        if (complete > writtenBackTo)
        {
            check("sync_file_range", PageCacheControl.startWriteBack(fd, writtenBackTo, complete - writtenBackTo));
            writtenBackTo = complete;
        }
        final long droppable = complete - keepBytes;
        if (droppable > droppedTo)
        {
            check("posix_fadvise", PageCacheControl.dropClean(fd, droppedTo, droppable - droppedTo));
            dropped += droppable - droppedTo;
            droppedTo = droppable;
        }
    }

    /** @return bytes of the journal's files asked to be dropped from the page cache (the kernel kept those still dirty). */
    long droppedBytes()
    {
        return dropped;
    }

    /** @return the calls the kernel refused (the pages then stay cached, as without this). */
    long refusals()
    {
        return refusals;
    }

    /** Closes the descriptor of the current file. */
    @Override
    public void close()
    {
        PageCacheControl.closeFile(fd);
        fd = -1;
        file = null;
    }

    private void switchTo(final File current)
    {
        close();
        file = current;
        writtenBackTo = 0;
        droppedTo = 0;
        if (current == null || !PageCacheControl.isAvailable())
        {
            return;
        }
        fd = PageCacheControl.open(current.getPath());
        if (fd < 0)
        {
            check("open", -fd);
            fd = -1;
        }
    }

    private void check(final String call, final int errno)
    {
        if (errno != 0 && refusals++ == 0)
        {
            LOG.warn("journal {}: {} refused (errno {}) for {}: its written pages stay in the page cache", name, call, errno, file);
        }
    }
}
