package io.loom.bench.e2e;

import io.loom.bench.ws.BenchmarkTls;
import io.loom.bench.ws.ServerProcess;
import io.loom.bench.ws.TlsServerChannel;
import io.loom.runtime.capture.Capture;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The benchmark's exchange, run in its own JVM by {@link StampedStreamServerProcess}: a loopback
 * {@code wss://} + {@code https://} endpoint (BoringSSL through netty-tcnative, or plain) that
 * streams a {@link StampedStream} at a fixed rate or flat out and answers its REST requests.
 *
 * <pre>
 *   accept (main thread) ─▶ one thread per connection: TLS handshake, request head
 *     GET &lt;path&gt; without Upgrade ─▶ stream.restBody(path, updates sent) ─▶ 200 | 404, close
 *     GET &lt;path&gt; + Upgrade ─▶ 101 ─▶ [the client's subscribe] ─▶ opening payloads ─▶ this thread sends:
 *         update i due at start + i / rate: park until due ─▶ stamp = nanoTime - epochNs ─▶ encode ─▶ wrap + write
 *         (one clock read per update: the stamp, which also says whether the next update is due); an update that fell
 *         due before the previous send returned (held behind it: a full socket, the send's own time) is stamped with
 *         its due time, as an exchange stamps an event that queues for a slow client; a late wake-up is not charged
 *   with a wire-times file (timed): each update's stamp and the time its write(2) begins go to {@link WireTimes} first
 *   stdin: "stats" ─▶ "sent N websockets W rest R"; "sender" ─▶ {@link SenderTimes} since the last ask (when timed);
 *          end of stdin ─▶ exit (the parent closed it or died)
 * </pre>
 *
 * <p>Not the bottleneck: each update is a pre-encoded payload whose stamp and ids are patched in
 * place ({@link StampedStream#encodeUpdate}) into one reused array, then copied with its frame
 * header into one direct buffer that BoringSSL encrypts (several 16 KiB records per send); nothing
 * is allocated per message. Paced, the sender sleeps ({@link LockSupport#parkNanos}) until the next
 * update is due and writes every update found due on waking in one send; flat out it fills 16 KiB
 * per send. Timestamps: {@link System#nanoTime()} is {@code CLOCK_MONOTONIC}, one clock for every
 * process on the machine, so the stamp this JVM writes and the receive time the harness reads
 * compare directly; the harness passes its epoch on the command line.
 *
 * <p>One stream at a time: the REST snapshot stands at the last update written on the current
 * WebSocket; a second WebSocket restarts the updates at 0, which the harness counts as an error.
 *
 * <p>Command line: {@code venue capture instrument rate epochNs ws|wss keyStore [timed [wireTimesFile]]}, venue
 * {@code binance} (instrument: the symbol, e.g. ETHUSDT) or {@code kraken} (the pair, e.g. XMR/USD, at depth
 * {@link StreamVenue#KRAKEN_DEPTH}), rate in messages/s (0: flat out), {@code timed} to time the paced
 * sender ({@link SenderTimes}; off: no clock read beyond the stamp), then the {@link WireTimes} file to tell.
 *
 * <p>Thread-safety: one thread per connection; the counters are atomic.
 */
public final class StampedStreamServer
{
    /** The answer to "stats": {@code sent <updates> websockets <n> rest <n>}. */
    static final String STATS = "stats";

    private static final int MAX_HEADER = 10;
    private static final int BATCH_BYTES = 16 << 10;
    private static final int MAX_REQUEST_BYTES = 16 << 10;
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final StampedStream stream;
    private final SslContext tls;
    private final double messagesPerSecond;
    private final long epochNs;
    private final SenderTimes senderTimes;
    private final WireTimes wireTimes;
    private final AtomicInteger webSockets = new AtomicInteger();
    private final AtomicInteger restAnswers = new AtomicInteger();
    private volatile long messagesSent;

    StampedStreamServer(final StampedStream stream, final SslContext tls, final double messagesPerSecond, final long epochNs,
        final SenderTimes senderTimes, final WireTimes wireTimes)
    {
        this.senderTimes = senderTimes;
        this.wireTimes = wireTimes;
        this.stream = stream;
        this.tls = tls;
        this.messagesPerSecond = messagesPerSecond;
        this.epochNs = epochNs;
    }

    /**
     * Serves until standard input ends.
     *
     * @param args {@code venue capture instrument rate epochNs ws|wss keyStore [timed [wireTimesFile]]}.
     * @throws Exception if the server cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final StampedStream stream = open(args[0], Path.of(args[1]), args[2]);
        final double rate = Double.parseDouble(args[3]);
        final long epochNs = Long.parseLong(args[4]);
        final SslContext tls = "wss".equals(args[5]) ? BenchmarkTls.boringSslServerContext(Path.of(args[6])) : null;
        final SenderTimes senderTimes = args.length > 7 && "timed".equals(args[7]) ? new SenderTimes() : null;
        final WireTimes wireTimes = senderTimes != null && args.length > 8 ? WireTimes.open(Path.of(args[8])) : null;
        new StampedStreamServer(stream, tls, rate, epochNs, senderTimes, wireTimes).serve(System.out);
    }

    /** @return the stream of {@code venue}, read from the capture. */
    static StampedStream open(final String venue, final Path capture, final String instrument) throws IOException
    {
        return switch (venue)
        {
            case "binance" -> new BinanceDepthStream(DepthLoop.fromCapture(Capture.load(capture), instrument));
            case "kraken" -> new KrakenBookStream(KrakenBookLoop.fromCapture(Capture.load(capture), instrument, StreamVenue.KRAKEN_DEPTH));
            default -> throw new IllegalArgumentException("unknown venue " + venue + " (binance, kraken)");
        };
    }

    private void serve(final PrintStream out) throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            final Thread commands = new Thread(() -> answerCommands(out), "stamped-stream-stdin");
            commands.setDaemon(true);
            commands.start();
            synchronized (out)
            {
                out.println(ServerProcess.PORT_LINE + ((InetSocketAddress)server.getLocalAddress()).getPort());
                out.flush();
            }
            int connection = 0;
            while (true)
            {
                final SocketChannel socket = server.accept();
                final Thread thread = new Thread(() -> serveConnection(socket), "stamped-stream-conn-" + connection++);
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    private void answerCommands(final PrintStream out)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)))
        {
            for (String line = in.readLine(); line != null; line = in.readLine())
            {
                final String command = line.trim();
                final String answer = STATS.equals(command) ? "sent " + messagesSent + " websockets " + webSockets.get() + " rest " + restAnswers.get()
                    : SenderTimes.COMMAND.equals(command) ? (senderTimes == null ? "not timed" : senderTimes.answer())
                    : "unknown command " + line;
                synchronized (out)
                {
                    out.println(answer);
                    out.flush();
                }
            }
        }
        catch (final IOException ex)
        {
            // the parent is gone either way
        }
        System.exit(0);
    }

    private void serveConnection(final SocketChannel socket)
    {
        try (ByteChannel channel = open(socket))
        {
            final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES);
            final String head = readHead(channel, in);
            final String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
            final String key = header(head, "sec-websocket-key");
            if (key == null)
            {
                answerRest(channel, target);
                return;
            }
            writeAscii(channel, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                accept(key) + "\r\n\r\n");
            webSockets.incrementAndGet();
            if (channel instanceof TlsServerChannel secured)
            {
                System.err.println("stamped-stream-server: WebSocket " + target + " (" + Objects.requireNonNullElse(header(head, "user-agent"), "no user-agent") + "): " +
                    secured.negotiated());
            }
            sendUpdates(channel, stream.streamsAfterSubscribe() ? readClientText(channel, in) : null);
        }
        catch (final IOException ex)
        {
            // the client went away: this connection is over
        }
        catch (final RuntimeException ex)
        {
            System.err.println("stamped-stream-server: connection ended by a bad request or a stream failure: " + ex);
        }
    }

    private ByteChannel open(final SocketChannel socket) throws IOException
    {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (tls == null)
        {
            return socket;
        }
        final TlsServerChannel channel = new TlsServerChannel(tls.newEngine(UnpooledByteBufAllocator.DEFAULT), socket);
        try
        {
            channel.handshake();
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
        return channel;
    }

    private void answerRest(final ByteChannel channel, final String target) throws IOException
    {
        final byte[] body = stream.restBody(target, messagesSent);
        if (body == null)
        {
            writeAscii(channel, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        writeAscii(channel, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
        write(channel, ByteBuffer.wrap(body));
        restAnswers.incrementAndGet();
    }

    /** Sends the opening payloads, then updates at the rate until the client goes away (an {@link IOException}). */
    private void sendUpdates(final ByteChannel channel, final String subscribe) throws IOException
    {
        final byte[] payload = new byte[stream.maxPayloadLength()];
        final byte[] frames = new byte[BATCH_BYTES + MAX_HEADER + stream.maxPayloadLength()];
        final ByteBuffer out = ByteBuffer.allocateDirect(frames.length);
        for (final byte[] opening : stream.openingPayloads(subscribe))
        {
            final byte[] frame = new byte[MAX_HEADER + opening.length];
            write(channel, ByteBuffer.wrap(frame, 0, frameInto(frame, 0, opening, opening.length)));
        }
        final long intervalNs = messagesPerSecond > 0 ? Math.round(1e9 / messagesPerSecond) : 0;
        final long[] stamps = senderTimes == null ? null : new long[BATCH_BYTES + 1]; // a frame is at least 1 byte: at most this many per send
        final LeavingStamps leaving = wireTimes == null ? null : new LeavingStamps(wireTimes, stamps);
        final long[] stampedAt = stamps == null ? null : new long[stamps.length];
        final long startNs = System.nanoTime();
        long message = 0;
        int batched = 0;
        long lastSendEndNs = 0;
        while (true)
        {
            int length = 0;
            long encodedNs = 0;
            if (intervalNs > 0)
            {
                long nowNs = System.nanoTime();
                final long waitNs = startNs + message * intervalNs - nowNs;
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                while (startNs + message * intervalNs - nowNs <= 0 && length < BATCH_BYTES)
                {
                    // one clock read per update: whether it is due, and its stamp unless it was held behind the previous send
                    final long stampNs = stampOf(startNs + message * intervalNs, lastSendEndNs, nowNs);
                    if (stamps != null)
                    {
                        stampedAt[batched] = nowNs;
                        stamps[batched++] = stampNs;
                    }
                    final int payloadLength = stream.encodeUpdate(payload, 0, message, stampNs - epochNs);
                    length += frameInto(frames, length, payload, payloadLength);
                    message++;
                    nowNs = System.nanoTime();
                }
                encodedNs = nowNs;
            }
            else
            {
                while (length < BATCH_BYTES)
                {
                    final int payloadLength = stream.encodeUpdate(payload, 0, message, System.nanoTime() - epochNs);
                    length += frameInto(frames, length, payload, payloadLength);
                    message++;
                }
            }
            if (batched > 0)
            {
                writeTimed(channel, out, frames, length, stamps, stampedAt[0], encodedNs, batched, leaving);
                for (int i = 0; i < batched; i++) // after the write: recording lateness is not part of stamp->written
                {
                    senderTimes.onStamped(startNs + (message - batched + i) * intervalNs, stampedAt[i], stamps[i]);
                }
                batched = 0;
            }
            else
            {
                out.clear();
                out.put(frames, 0, length).flip();
                write(channel, out);
            }
            if (intervalNs > 0)
            {
                lastSendEndNs = System.nanoTime();
            }
            messagesSent = message;
        }
    }

    /**
     * As the untimed send (copy into {@code out}, wrap, write), with a clock read after each step, into {@link SenderTimes};
     * {@code firstStampedAtNs} the clock read that found the first update due (its stamp unless it was held),
     * {@code encodedNs} the one that found no further update due. With {@link WireTimes}, the batch's
     * stamps and the time its first write(2) begins are told before that write ({@code leaving}, null without).
     */
    private void writeTimed(final ByteChannel channel, final ByteBuffer out, final byte[] frames, final int length, final long[] stamps,
        final long firstStampedAtNs, final long encodedNs, final int batched, final LeavingStamps leaving) throws IOException
    {
        if (leaving != null)
        {
            leaving.batched = batched;
        }
        out.clear();
        out.put(frames, 0, length).flip();
        final long copiedNs = System.nanoTime();
        final long wrappedNs;
        if (channel instanceof TlsServerChannel secured)
        {
            wrappedNs = secured.writeTimed(out, leaving);
        }
        else
        {
            wrappedNs = copiedNs;
            if (leaving != null)
            {
                leaving.accept(copiedNs);
            }
            write(channel, out);
        }
        senderTimes.onWritten(firstStampedAtNs, encodedNs, copiedNs, wrappedNs, System.nanoTime(), batched);
    }

    /** Tells {@link WireTimes} when the batch's updates leave; one per connection, reused for every send (no allocation). */
    private static final class LeavingStamps implements LongConsumer
    {
        private final WireTimes wireTimes;
        private final long[] stamps;
        private int batched;

        LeavingStamps(final WireTimes wireTimes, final long[] stamps)
        {
            this.wireTimes = wireTimes;
            this.stamps = stamps;
        }

        @Override
        public void accept(final long leavingNs)
        {
            for (int i = 0; i < batched; i++)
            {
                wireTimes.onLeaving(stamps[i], leavingNs);
            }
        }
    }

    /**
     * The stamp of a paced update: its due time if it fell due before the previous send returned (it was
     * held behind that send: a full socket, the send's own time), as an exchange stamps an event that
     * queues for a slow client; otherwise now (a late wake-up of this sender is not the client's doing).
     *
     * @param dueNs         when the schedule says the update is due.
     * @param lastSendEndNs when the previous send returned (0 before the first).
     * @param nowNs         the clock read that found the update due.
     * @return its stamp ({@link System#nanoTime()} clock).
     */
    static long stampOf(final long dueNs, final long lastSendEndNs, final long nowNs)
    {
        return dueNs < lastSendEndNs ? dueNs : nowNs;
    }

    /** Writes an unmasked text frame of {@code payload[0, length)} at {@code offset}. @return the frame's length */
    static int frameInto(final byte[] dst, final int offset, final byte[] payload, final int length)
    {
        int at = offset;
        dst[at++] = (byte)0x81;
        if (length < 126)
        {
            dst[at++] = (byte)length;
        }
        else if (length < 65_536)
        {
            dst[at++] = 126;
            dst[at++] = (byte)(length >>> 8);
            dst[at++] = (byte)length;
        }
        else
        {
            dst[at++] = 127;
            for (int i = 0; i < 8; i++)
            {
                dst[at++] = (byte)((long)length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, dst, at, length);
        return at + length - offset;
    }

    /** Reads up to the end of the request head; what follows it stays in {@code in} (flipped: read mode). */
    private static String readHead(final ByteChannel channel, final ByteBuffer in) throws IOException
    {
        while (true)
        {
            final String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            final int end = text.indexOf("\r\n\r\n");
            if (end >= 0)
            {
                in.flip().position(end + 4);
                return text.substring(0, end);
            }
            if (!in.hasRemaining() || channel.read(in) < 0)
            {
                throw new IOException("no complete request head");
            }
        }
    }

    /** Reads one client frame (masked: 4 mask bytes after the length), e.g. a subscribe, and returns its payload as text. */
    private static String readClientText(final ByteChannel channel, final ByteBuffer in) throws IOException
    {
        ensure(channel, in, 2);
        final int marker = in.get(in.position() + 1) & 0x7f;
        final int lengthBytes = marker < 126 ? 0 : marker == 126 ? 2 : 8;
        ensure(channel, in, 2 + lengthBytes);
        long length = marker < 126 ? marker : 0;
        for (int i = 0; i < lengthBytes; i++)
        {
            length = length << 8 | in.get(in.position() + 2 + i) & 0xff;
        }
        final long frameBytes = 2 + lengthBytes + 4 + length;
        if (frameBytes > in.capacity())
        {
            throw new IOException("client frame of " + frameBytes + " bytes: too large for a subscribe");
        }
        ensure(channel, in, (int)frameBytes);
        final int maskAt = in.position() + 2 + lengthBytes;
        final byte[] payload = new byte[(int)length];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(in.get(maskAt + 4 + i) ^ in.get(maskAt + (i & 3)));
        }
        in.position(in.position() + (int)frameBytes);
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Makes {@code in} (read mode) hold at least {@code bytes} unread bytes. */
    private static void ensure(final ByteChannel channel, final ByteBuffer in, final int bytes) throws IOException
    {
        while (in.remaining() < bytes)
        {
            in.compact();
            final int read = channel.read(in);
            in.flip();
            if (read < 0)
            {
                throw new IOException("the client left");
            }
        }
    }

    private static String header(final String head, final String name)
    {
        for (final String line : head.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name))
            {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String accept(final String key)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is missing from the JDK", ex);
        }
    }

    private static void writeAscii(final ByteChannel channel, final String text) throws IOException
    {
        write(channel, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void write(final ByteChannel channel, final ByteBuffer bytes) throws IOException
    {
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }
}
