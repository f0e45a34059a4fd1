package io.loom.bench.e2e;

import jdk.net.ExtendedSocketOptions;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * This host's loopback floor under issue 8's latency goal: what plain TCP over loopback costs with no
 * reactor, no TLS, no WebSocket and no book, so the goal (wire->book p50 <= 8 µs) can be read against it.
 *
 * <pre>
 *   setsockopt  TCP_QUICKACK false on a connected socket, timed per call (the cost of re-arming delayed ACKs)
 *   ping-pong   client: stamp ─▶ write(1 KiB) ─▶ spin read(1 KiB) ◀─ server: spin read(1 KiB) ─▶ write(1 KiB)
 *               both ends non-blocking NIO spinning on their own threads; one-way = RTT / 2; write(2) of 1 KiB timed
 *   stream      sender (parks until due, like the e2e sender): stamp ─▶ write(1 KiB) at the rate, one way
 *               receiver (spins like a busy-polling reactor): read(2) timed per call that returns bytes;
 *               latency = the read's return - the stamp; ACKs the receiver sent ({@code ss -ti} segs_out) per message
 *               arms, alternated: quick (Linux's default: a pushed segment is acked inside the read that drains it),
 *               delayed-once (TCP_QUICKACK false at connect), delayed-every-read (false after every read that
 *               returned bytes), delayed-30ms (false after a read when the last re-arm is 30 ms old or more)
 * </pre>
 *
 * <p>Run: {@code java -cp benchmarks.jar io.loom.bench.e2e.LoopbackFloor [ping-pong round trips] [stream rate/s]
 * [stream seconds per arm] [rounds]} (defaults 200000 or 10 s, 10000, 5, 2). Linux only (TCP_QUICKACK); 2 threads spin.
 *
 * <p>Thread-safety: a main program; each measurement owns its two threads.
 */
public final class LoopbackFloor
{
    private static final int MESSAGE = 1_024;
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long REARM_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final int SETSOCKOPT_CALLS = 200_000;
    /** The ping-pong stops after this long measured, whatever its count: under load every round trip can wait for a core. */
    private static final long PING_PONG_LIMIT_NS = TimeUnit.SECONDS.toNanos(10);

    /** How the stream's receiver treats delayed ACKs. */
    private enum Arm
    {
        QUICK, DELAYED_ONCE, DELAYED_EVERY_READ, DELAYED_30MS
    }

    private LoopbackFloor()
    {
    }

    /**
     * Runs the three measurements and prints them.
     *
     * @param args optional: ping-pong round trips, stream rate, stream seconds per arm, rounds.
     * @throws Exception if a socket fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        System.out.printf(Locale.ROOT, "loopback floor: %d-B messages, ping-pong %,d round trips, stream %,d/s x %d s per arm, %d rounds%n",
            MESSAGE, roundTrips, rate, seconds, rounds);
        for (int round = 1; round <= rounds; round++)
        {
            System.out.printf(Locale.ROOT, "round %d (load %s)%n", round, load());
            setsockoptCost();
            pingPong(roundTrips);
            for (final Arm arm : Arm.values())
            {
                stream(arm, rate, seconds);
            }
        }
    }

    private static void setsockoptCost() throws IOException
    {
        try (ServerSocketChannel server = listen(); SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept())
        {
            final Histogram ns = new Histogram(1, HIGHEST_NS, 3);
            for (int i = 0; i < SETSOCKOPT_CALLS; i++)
            {
                final long start = System.nanoTime();
                client.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
                ns.recordValue(System.nanoTime() - start);
            }
            System.out.printf(Locale.ROOT, "  setsockopt(TCP_QUICKACK, 0) ns: %s%n", percentiles(ns));
        }
    }

    private static void pingPong(final int roundTrips) throws Exception
    {
        final int warmUp = roundTrips / 10;
        try (ServerSocketChannel server = listen(); SocketChannel client = connect(server))
        {
            final SocketChannel accepted = server.accept();
            configure(accepted);
            final Thread echo = new Thread(() -> echo(accepted), "floor-echo");
            echo.start();
            final ByteBuffer out = message();
            final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
            final Histogram oneWay = new Histogram(1, HIGHEST_NS, 3);
            final Histogram write = new Histogram(1, HIGHEST_NS, 3);
            long deadlineNs = System.nanoTime() + PING_PONG_LIMIT_NS;
            for (int i = 0; i < warmUp + roundTrips && System.nanoTime() < deadlineNs; i++)
            {
                if (i == warmUp)
                {
                    deadlineNs = System.nanoTime() + PING_PONG_LIMIT_NS;
                }
                out.clear();
                in.clear();
                final long start = System.nanoTime();
                client.write(out);
                final long written = System.nanoTime();
                while (out.hasRemaining())
                {
                    client.write(out);
                }
                while (in.hasRemaining())
                {
                    if (client.read(in) < 0)
                    {
                        throw new IOException("echo closed");
                    }
                }
                final long end = System.nanoTime();
                if (i >= warmUp)
                {
                    oneWay.recordValue(Math.max(1, (end - start) / 2));
                    write.recordValue(written - start);
                }
            }
            client.close();
            echo.join(TimeUnit.SECONDS.toMillis(10));
            System.out.printf(Locale.ROOT, "  ping-pong %,d round trips one-way (RTT/2) ns: %s%n  ping-pong write(2) of %d B ns: %s%n",
                oneWay.getTotalCount(), percentiles(oneWay), MESSAGE, percentiles(write));
        }
    }

    /** Echoes every {@link #MESSAGE} bytes back until the client closes. */
    private static void echo(final SocketChannel channel)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
        try (channel)
        {
            while (true)
            {
                buffer.clear();
                while (buffer.hasRemaining())
                {
                    if (channel.read(buffer) < 0)
                    {
                        return;
                    }
                }
                buffer.flip();
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void stream(final Arm arm, final int rate, final int seconds) throws Exception
    {
        final int messages = rate * seconds;
        final AtomicLongArray stamps = new AtomicLongArray(messages);
        try (ServerSocketChannel server = listen(); SocketChannel receiver = connect(server))
        {
            final SocketChannel sending = server.accept();
            configure(sending);
            final int senderPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
            if (arm != Arm.QUICK)
            {
                receiver.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            }
            final long acksBefore = segmentsOut(senderPort);
            final Thread sender = new Thread(() -> send(sending, stamps, rate), "floor-sender");
            sender.start();
            final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            final Histogram readNs = new Histogram(1, HIGHEST_NS, 3);
            final Histogram latencyNs = new Histogram(1, HIGHEST_NS, 3);
            final Histogram rearmNs = new Histogram(1, HIGHEST_NS, 3);
            long received = 0;
            long lastRearmNs = System.nanoTime();
            int next = 0;
            final long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            while (next < messages)
            {
                in.clear();
                final long call = System.nanoTime();
                final int n = receiver.read(in);
                final long returned = System.nanoTime();
                if (n < 0)
                {
                    throw new IOException("sender closed after " + next + " messages");
                }
                if (n == 0)
                {
                    continue;
                }
                readNs.recordValue(returned - call);
                received += n;
                for (; next < messages && (long) (next + 1) * MESSAGE <= received; next++)
                {
                    latencyNs.recordValue(Math.max(1, returned - stamps.get(next)));
                }
                if (arm == Arm.DELAYED_EVERY_READ || arm == Arm.DELAYED_30MS && returned - lastRearmNs >= REARM_INTERVAL_NS)
                {
                    receiver.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
                    lastRearmNs = System.nanoTime();
                    rearmNs.recordValue(lastRearmNs - returned);
                }
            }
            final long cpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
            final long acks = segmentsOut(senderPort) - acksBefore;
            sender.join(TimeUnit.SECONDS.toMillis(10));
            sending.close();
            System.out.printf(Locale.ROOT, "  stream %-18s reads %,d (%.2f per msg) read(2) ns: %s | one-way ns: %s | ACKs sent per msg %.3f, per read %.2f | re-arms %,d ns: %s | receiver CPU %.0f ns/msg (spinning)%n",
                arm.name().toLowerCase(Locale.ROOT).replace('_', '-'), readNs.getTotalCount(), readNs.getTotalCount() / (double) messages,
                percentiles(readNs), percentiles(latencyNs), acks / (double) messages, acks / (double) readNs.getTotalCount(), rearmNs.getTotalCount(), percentiles(rearmNs),
                cpuNs / (double) messages);
        }
    }

    /** Writes {@code stamps.length()} messages at {@code rate}, each stamped just before its write, parking until due. */
    private static void send(final SocketChannel channel, final AtomicLongArray stamps, final int rate)
    {
        final ByteBuffer out = message();
        final long intervalNs = 1_000_000_000L / rate;
        final long startNs = System.nanoTime();
        try
        {
            for (int i = 0; i < stamps.length(); i++)
            {
                final long dueNs = startNs + i * intervalNs;
                long now;
                while ((now = System.nanoTime()) < dueNs)
                {
                    LockSupport.parkNanos(dueNs - now);
                }
                out.clear();
                stamps.set(i, System.nanoTime());
                while (out.hasRemaining())
                {
                    channel.write(out);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The receiver's segments out (ACKs only: it sends no data) on its connection to {@code port}, from {@code ss -ti}; -1 if unknown. */
    private static long segmentsOut(final int port) throws IOException, InterruptedException
    {
        final Process ss = new ProcessBuilder("ss", "-tniH", "state", "established", "dport", "=", ":" + port).redirectErrorStream(true).start();
        final String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        ss.waitFor(5, TimeUnit.SECONDS);
        final int at = out.indexOf(" segs_out:");
        if (at < 0)
        {
            return -1;
        }
        int end = at + " segs_out:".length();
        long value = 0;
        while (end < out.length() && Character.isDigit(out.charAt(end)))
        {
            value = value * 10 + out.charAt(end++) - '0';
        }
        return value;
    }

    private static ServerSocketChannel listen() throws IOException
    {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static SocketChannel connect(final ServerSocketChannel server) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(server.getLocalAddress());
        configure(channel);
        return channel;
    }

    private static void configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    private static ByteBuffer message()
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
        while (buffer.hasRemaining())
        {
            buffer.put((byte) ('a' + buffer.position() % 26));
        }
        return buffer.clear();
    }

    private static String percentiles(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return "-";
        }
        return String.format(Locale.ROOT, "p10 %,d p50 %,d p99 %,d p99.9 %,d", histogram.getValueAtPercentile(10),
            histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9));
    }

    private static String load() throws IOException
    {
        return new String(Files.readAllBytes(Path.of("/proc/loadavg")), StandardCharsets.US_ASCII).trim();
    }
}
