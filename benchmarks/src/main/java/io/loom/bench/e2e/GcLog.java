package io.loom.bench.e2e;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every collection of this JVM with its cause, as the {@link GarbageCollectorMXBean}s announce it
 * ({@link GarbageCollectionNotificationInfo}): which collector, why ("G1 Evacuation Pause", "System.gc()",
 * "G1 Humongous Allocation", "Metadata GC Threshold", ...), when it was announced, how long it took, and how full the
 * young generation was. A window asks for the collections its collectors counted (by each collection's number,
 * {@link GcInfo#getId()}, which is the collector's count: {@link GcInfo#getStartTime()} counts from another origin
 * than {@link java.lang.management.RuntimeMXBean#getUptime()}): GC count and total time alone say that a pause
 * happened, not whose garbage or which threshold caused it.
 *
 * <p>The listener runs on the JVM's notification thread and allocates there only when a collection has happened
 * (the notification's own objects), never between collections.
 *
 * <p>Thread-safety: safe; the listener appends from the notification thread, {@link #between} reads from any thread.
 */
final class GcLog
{
    /** How long {@link #between} waits for notifications the counters say happened but not yet delivered. */
    private static final long DELIVERY_WAIT_MS = 2_000;
    private static final GcLog INSTANCE = new GcLog();

    private final ConcurrentLinkedQueue<Collection> collections = new ConcurrentLinkedQueue<>();

    private GcLog()
    {
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            ((NotificationEmitter)collector).addNotificationListener((notification, handback) -> onNotification(notification), null, null);
        }
    }

    /** @return the one log of this JVM, listening from the first call on. */
    static GcLog get()
    {
        return INSTANCE;
    }

    private void onNotification(final Notification notification)
    {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
        {
            return;
        }
        final GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
        final GcInfo gc = info.getGcInfo();
        collections.add(new Collection(info.getGcName(), gc.getId(), info.getGcCause(), System.nanoTime(), gc.getDuration(),
            youngBytes(gc.getMemoryUsageBeforeGc()), youngBytes(gc.getMemoryUsageAfterGc())));
        while (collections.size() > 1_000)
        {
            collections.poll(); // a long run keeps the last thousand; a window asks right after it closes
        }
    }

    /** @return bytes used in the young generation's pools (eden and survivor), by their names. */
    private static long youngBytes(final Map<String, MemoryUsage> pools)
    {
        long bytes = 0;
        for (final Map.Entry<String, MemoryUsage> pool : pools.entrySet())
        {
            final String name = pool.getKey().toLowerCase(Locale.ROOT);
            if (name.contains("eden") || name.contains("survivor") || name.contains("young"))
            {
                bytes += pool.getValue().getUsed();
            }
        }
        return bytes;
    }

    /**
     * @param countsAtOpen  each collector's collection count at the window's open, by name.
     * @param countsAtClose the same at its close.
     * @return the collections counted in between, oldest first; waits up to {@value #DELIVERY_WAIT_MS} ms for all of
     *         them (a notification arrives after its collection).
     * @throws InterruptedException if interrupted while waiting for a notification.
     */
    List<Collection> between(final Map<String, Long> countsAtOpen, final Map<String, Long> countsAtClose) throws InterruptedException
    {
        long expected = 0;
        for (final Map.Entry<String, Long> collector : countsAtClose.entrySet())
        {
            expected += collector.getValue() - countsAtOpen.getOrDefault(collector.getKey(), collector.getValue());
        }
        final long giveUpNs = System.nanoTime() + DELIVERY_WAIT_MS * 1_000_000L;
        List<Collection> found = collect(countsAtOpen, countsAtClose);
        while (found.size() < expected && System.nanoTime() - giveUpNs < 0)
        {
            Thread.sleep(20);
            found = collect(countsAtOpen, countsAtClose);
        }
        return found;
    }

    private List<Collection> collect(final Map<String, Long> countsAtOpen, final Map<String, Long> countsAtClose)
    {
        final List<Collection> found = new ArrayList<>();
        for (final Collection collection : collections)
        {
            final Long open = countsAtOpen.get(collection.collector());
            final Long close = countsAtClose.get(collection.collector());
            if (open != null && close != null && collection.id() > open && collection.id() <= close)
            {
                found.add(collection);
            }
        }
        return found;
    }

    /**
     * One collection.
     *
     * @param collector        the collector's bean name ("G1 Young Generation", "G1 Concurrent GC", ...).
     * @param id               its number: the collector's count with it.
     * @param cause            why it ran, as the JVM says.
     * @param announcedNs      {@link System#nanoTime()} when its notification arrived (just after its end).
     * @param durationMs       its duration, ms (for a stop-the-world young collection, the pause).
     * @param youngBeforeBytes eden + survivor used before it.
     * @param youngAfterBytes  eden + survivor used after it.
     */
    record Collection(String collector, long id, String cause, long announcedNs, long durationMs, long youngBeforeBytes, long youngAfterBytes)
    {
        /**
         * @param windowOpenNs the window's open, {@link System#nanoTime()}.
         * @return e.g. "G1 Young Generation (G1 Evacuation Pause) 12 ms, by +3.41 s, young 21.0 -> 1.0 MB".
         */
        String describe(final long windowOpenNs)
        {
            return String.format(Locale.ROOT, "%s (%s) %d ms, by +%.2f s, young %.1f -> %.1f MB", collector, cause, durationMs,
                (announcedNs - windowOpenNs) / 1e9, youngBeforeBytes / 1e6, youngAfterBytes / 1e6);
        }
    }
}
