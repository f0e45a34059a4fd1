package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one system at one rate, over one or more measured windows (interleaved rounds
 * are merged: histograms added, messages, bytes and GCs summed).
 *
 * @param venue          the stream's venue ("binance", "kraken").
 * @param system         the system's name.
 * @param rate           messages per second sent, 0 for flat out.
 * @param sentMessages   messages the server sent during the windows.
 * @param windowMessages diff messages applied inside the windows.
 * @param windowNs       total window time.
 * @param allocatedBytes bytes allocated by the system's threads inside the windows.
 * @param cpuNs          CPU time of the system's threads inside the windows.
 * @param gcCount        GCs inside the windows.
 * @param gcTimeMs       GC time inside the windows, ms.
 * @param errors         errors the system reported (gaps, resyncs, decode failures, reconnects).
 * @param latencyNs      wire-to-book latency, ns (coordinated-omission corrected at fixed rates).
 * @param jvmAllocatedBytes bytes every thread of the measured JVM allocated inside the windows (the system's, the
 *                          harness's and any other: the garbage a GC in the window collects).
 * @param jvmBytesByThread  those bytes by thread name, most first in each window, summed by name over the windows.
 * @param collections       each GC inside the windows with its cause, duration and young-generation use.
 */
public record RunResult(
    String venue,
    String system,
    double rate,
    long sentMessages,
    long windowMessages,
    long windowNs,
    long allocatedBytes,
    long cpuNs,
    long gcCount,
    long gcTimeMs,
    long errors,
    Histogram latencyNs,
    long jvmAllocatedBytes,
    Map<String, Long> jvmBytesByThread,
    List<String> collections)
{
    /** Copies the maps and lists (a result is immutable but its histogram). */
    public RunResult
    {
        jvmBytesByThread = Collections.unmodifiableMap(new LinkedHashMap<>(jvmBytesByThread));
        collections = List.copyOf(collections);
    }

    /** @return bytes every thread of the measured JVM allocated per applied message (0 if none applied). */
    public double jvmBytesPerMessage()
    {
        return windowMessages == 0 ? 0 : (double)jvmAllocatedBytes / windowMessages;
    }

    /** @return messages applied per second of window. */
    public double throughput()
    {
        return windowNs == 0 ? 0 : windowMessages * 1e9 / windowNs;
    }

    /** @return messages the server sent per second of window (what was offered). */
    public double sentPerSecond()
    {
        return windowNs == 0 ? 0 : sentMessages * 1e9 / windowNs;
    }

    /** @return bytes allocated per applied message (0 if none applied). */
    public double bytesPerMessage()
    {
        return windowMessages == 0 ? 0 : (double)allocatedBytes / windowMessages;
    }

    /** @return CPU µs the system's threads used per applied message (idle spinning included). */
    public double cpuUsPerMessage()
    {
        return windowMessages == 0 ? 0 : cpuNs / 1e3 / windowMessages;
    }

    /**
     * @param percentile 0..100.
     * @return that percentile of the latency in µs.
     */
    public double latencyUs(final double percentile)
    {
        return latencyNs.getValueAtPercentile(percentile) / 1e3;
    }

    /** @return "10k/s", "100k/s" or "flat out". */
    public String rateLabel()
    {
        return rateLabel(rate);
    }

    /**
     * @param rate messages per second, 0 for flat out.
     * @return its label.
     */
    public static String rateLabel(final double rate)
    {
        if (rate == 0)
        {
            return "flat out";
        }
        return rate >= 1000 && rate % 1000 == 0 ? (long)(rate / 1000) + "k/s" : (long)rate + "/s";
    }

    /**
     * @param other the same venue, system and rate, another round.
     * @return both merged.
     */
    public RunResult merge(final RunResult other)
    {
        final Histogram merged = latencyNs.copy();
        merged.add(other.latencyNs);
        final Map<String, Long> byThread = new LinkedHashMap<>(jvmBytesByThread);
        other.jvmBytesByThread.forEach((thread, bytes) -> byThread.merge(thread, bytes, Long::sum));
        final List<String> allCollections = new ArrayList<>(collections);
        allCollections.addAll(other.collections);
        return new RunResult(venue, system, rate, sentMessages + other.sentMessages, windowMessages + other.windowMessages, windowNs + other.windowNs,
            allocatedBytes + other.allocatedBytes, cpuNs + other.cpuNs, gcCount + other.gcCount, gcTimeMs + other.gcTimeMs, errors + other.errors, merged,
            jvmAllocatedBytes + other.jvmAllocatedBytes, byThread, allCollections);
    }
}
