package io.loom.runtime.net.ws;

import java.nio.charset.StandardCharsets;

/**
 * A frame the client sent, as a raw test server read it off the socket, already unmasked.
 *
 * @param fin     the FIN bit.
 * @param rsvBits RSV1..RSV3 as they sit in the first byte ({@link Frames#RSV1}, ...).
 * @param opcode  the opcode.
 * @param payload the unmasked payload.
 */
record ClientFrame(boolean fin, int rsvBits, int opcode, byte[] payload)
{
    /** @return the close code of a close frame, 1005 when it has no payload. */
    int closeCode()
    {
        if (opcode != Frames.CLOSE)
        {
            throw new AssertionError("expected a close frame, got " + this);
        }
        return payload.length < 2 ? WebSocketCloseCodes.NO_STATUS : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
    }

    /** @return the close reason of a close frame. */
    String closeReason()
    {
        return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    String text()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return "ClientFrame{opcode=" + opcode + ", fin=" + fin + ", rsv=0x" + Integer.toHexString(rsvBits) + ", " + payload.length + " bytes}";
    }
}
