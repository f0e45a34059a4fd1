package io.loom.runtime.net.ws;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692) of one connection: inflates received messages and
 * deflates sent ones with one reused {@link Inflater} and {@link Deflater}, honouring the
 * negotiated context takeover.
 *
 * <p>Window bits: the server may limit its own window ({@code server_max_window_bits}); an inflater
 * with the full 15-bit window reads any smaller one, so every value is honoured. The client never
 * offers {@code client_max_window_bits} because the JDK's Deflater always uses a 15-bit window, so
 * the server cannot ask for a smaller one.
 *
 * <p>Not thread-safe: owned by one connection. {@link #close()} frees the native zlib state.
 */
final class PerMessageDeflate implements AutoCloseable
{
    /** The parameters the server accepted. */
    record Parameters(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits)
    {
        /** Parses the server's Sec-WebSocket-Extensions answer to an offer of plain permessage-deflate. */
        static Parameters parse(final String header)
        {
            final String[] extensions = header.split(",");
            if (extensions.length != 1)
            {
                throw new IllegalArgumentException("server accepted more than the one extension offered: " + header);
            }
            final String[] parts = extensions[0].split(";");
            if (!parts[0].trim().equalsIgnoreCase("permessage-deflate"))
            {
                throw new IllegalArgumentException("server accepted an extension that was not offered: " + parts[0].trim());
            }
            boolean serverNoContextTakeover = false;
            boolean clientNoContextTakeover = false;
            int serverMaxWindowBits = 15;
            boolean windowBitsSeen = false;
            for (int i = 1; i < parts.length; i++)
            {
                final String parameter = parts[i].trim();
                final int equals = parameter.indexOf('=');
                final String name = (equals < 0 ? parameter : parameter.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
                final String value = equals < 0 ? null : parameter.substring(equals + 1).trim().replace("\"", "");
                switch (name)
                {
                    case "server_no_context_takeover" ->
                    {
                        require(!serverNoContextTakeover && value == null, "bad server_no_context_takeover");
                        serverNoContextTakeover = true;
                    }
                    case "client_no_context_takeover" ->
                    {
                        require(!clientNoContextTakeover && value == null, "bad client_no_context_takeover");
                        clientNoContextTakeover = true;
                    }
                    case "server_max_window_bits" ->
                    {
                        require(!windowBitsSeen && value != null && value.matches("\\d{1,2}"), "bad server_max_window_bits");
                        serverMaxWindowBits = Integer.parseInt(value);
                        require(serverMaxWindowBits >= 8 && serverMaxWindowBits <= 15, "server_max_window_bits out of 8..15");
                        windowBitsSeen = true;
                    }
                    case "client_max_window_bits" ->
                        throw new IllegalArgumentException("server set client_max_window_bits, which was not offered");
                    default -> throw new IllegalArgumentException("unknown permessage-deflate parameter '" + name + "'");
                }
            }
            return new Parameters(serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits);
        }

        private static void require(final boolean condition, final String message)
        {
            if (!condition)
            {
                throw new IllegalArgumentException("permessage-deflate: " + message);
            }
        }
    }

    private static final int TAIL = 0x0000FFFF;
    /** An empty stored block without the 0x00 0x00 0xFF 0xFF the sender removes: read only, shared. */
    private static final UnsafeBuffer EMPTY_STORED_BLOCK = new UnsafeBuffer(new byte[1]);

    private final Parameters parameters;
    private final Inflater inflater = new Inflater(true);
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final ByteBuffer tail = ByteBuffer.allocateDirect(4);

    PerMessageDeflate(final Parameters parameters)
    {
        this.parameters = parameters;
    }

    Parameters parameters()
    {
        return parameters;
    }

    /**
     * Inflates one fragment of a compressed message, appending to {@code message}.
     *
     * @return false if the message outgrew the buffer's maximum length.
     * @throws DataFormatException if the fragment is not valid deflate data.
     */
    boolean inflate(final ByteBuffer fragment, final MessageAssemblyBuffer message) throws DataFormatException
    {
        inflater.setInput(fragment);
        return drain(message);
    }

    /**
     * Ends a compressed message: feeds the 0x00 0x00 0xFF 0xFF tail the sender removed, then resets
     * the inflater when the server does not take its context over.
     *
     * @return false if the message outgrew the buffer's maximum length.
     */
    boolean finishInflate(final MessageAssemblyBuffer message) throws DataFormatException
    {
        tail.clear();
        tail.putInt(0, TAIL);
        inflater.setInput(tail);
        final boolean fits = drain(message);
        if (parameters.serverNoContextTakeover() || inflater.finished())
        {
            inflater.reset();
        }
        return fits;
    }

    /**
     * The most bytes {@link #deflate} can produce for {@code length} bytes of payload: zlib's bound
     * for incompressible data (5 bytes of stored-block header per 16 KiB), plus the sync flush.
     */
    static int deflatedBound(final int length)
    {
        return length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 64;
    }

    /** Forgets a message abandoned half way, so the next one starts from a clean inflater. */
    void abandonInflate()
    {
        inflater.reset();
    }

    /**
     * Deflates a whole message into {@code out} (cleared first) without the 4-byte tail.
     *
     * @return false if the compressed message outgrew the buffer's maximum length.
     */
    boolean deflate(final ByteBuffer payload, final MessageAssemblyBuffer out)
    {
        out.clear();
        deflater.setInput(payload);
        while (true)
        {
            if (!out.ensureSpare())
            {
                deflater.reset();
                return false;
            }
            final int spare = out.spare();
            final int written = deflater.deflate(out.writable(), Deflater.SYNC_FLUSH);
            out.commit(written);
            if (written < spare && deflater.needsInput())
            {
                break;
            }
        }
        if (out.length() >= 4 && out.view().getInt(out.length() - 4, ByteOrder.BIG_ENDIAN) == TAIL)
        {
            out.commit(-4);
        }
        else
        {
            // zlib writes nothing for a sync flush without new input (an empty message after another
            // one); RFC 7692 7.2.1 still wants an empty stored block, which without its tail is 0x00
            if (!out.append(EMPTY_STORED_BLOCK, 0, 1))
            {
                deflater.reset();
                return false;
            }
        }
        if (parameters.clientNoContextTakeover())
        {
            deflater.reset();
        }
        return true;
    }

    @Override
    public void close()
    {
        inflater.end();
        deflater.end();
    }

    private boolean drain(final MessageAssemblyBuffer message) throws DataFormatException
    {
        while (!inflater.finished())
        {
            if (!message.ensureSpare())
            {
                return false;
            }
            final int spare = message.spare();
            final int written = inflater.inflate(message.writable());
            message.commit(written);
            if (written < spare)
            {
                if (inflater.needsInput() || inflater.finished())
                {
                    break;
                }
                if (inflater.needsDictionary())
                {
                    throw new DataFormatException("compressed message needs a preset dictionary");
                }
                if (written == 0)
                {
                    throw new DataFormatException("inflater made no progress on the compressed message");
                }
            }
        }
        return true;
    }
}
