package io.loom.runtime.net.tls;

import java.nio.ByteBuffer;

/**
 * Encrypts and decrypts application-data records of an established session straight through the
 * engine's native TLS library, without the {@code SSLEngineResult} its engine makes per call: the
 * steady-state record path of {@link TlsRecordLayer}. Everything that is not plain application
 * data stays with the engine, which stays the one owner of the session's state: a call either does
 * exactly what the engine's own {@code wrap}/{@code unwrap} would have done for that record, or
 * answers {@link #NOT_TAKEN} having touched nothing, or {@link #REPLAY_ON_ENGINE} (see there).
 *
 * <p>Made by {@link TlsEngineFactory#directRecords} after the opening handshake, for the engines
 * that support it (BoringSSL's); {@link TlsContext#directRecords(boolean)} turns it off.
 *
 * <p>Thread-safety: used by the fiber that owns the connection; each call holds the engine's own
 * lock, so a concurrent {@code close()} freeing the engine waits for it, and a call after that
 * answers {@link #NOT_TAKEN}.
 */
interface TlsDirectRecords
{
    /** Nothing was done (engine closed or freed, handshake in progress, unsupported buffer): use the engine. */
    int NOT_TAKEN = -1;
    /** The record was consumed: its plaintext (possibly none: a session ticket, a KeyUpdate) is in the destination. */
    int DECRYPTED = 0;
    /**
     * The native library consumed the record and reached a state it remembers (the peer's
     * close_notify, a bad record, a fatal alert): the engine's {@code unwrap} of the same record
     * replays it from that state, consuming nothing more, and does its own bookkeeping (closing,
     * alerting, the typed exception) exactly as it would have.
     */
    int REPLAY_ON_ENGINE = 1;

    /** TLSPlaintext.length limit (RFC 8446 5.1): a record never decrypts to more. */
    int MAX_PLAINTEXT_BYTES = 16_384;

    /**
     * Decrypts one whole record of {@code netIn}.
     *
     * @param netIn       direct; the record is at [{@code offset}, {@code offset + recordBytes}); position and limit are
     *                    not used or changed.
     * @param offset      where the record starts.
     * @param recordBytes the record's length, header included.
     * @param appIn       direct, write mode, with room for {@link #MAX_PLAINTEXT_BYTES} or the record's body,
     *                    whichever is less; its position advances past the plaintext.
     * @return {@link #DECRYPTED}, {@link #REPLAY_ON_ENGINE} or {@link #NOT_TAKEN}; {@link #consumedBytes()} tells how much
     * of the record the first two consumed.
     */
    int decrypt(ByteBuffer netIn, int offset, int recordBytes, ByteBuffer appIn);

    /**
     * Encrypts up to one record of {@code src} into {@code netOut}.
     *
     * @param src    direct; its position advances past what was encrypted.
     * @param netOut direct, write mode, with room for a whole record; its position advances past the ciphertext.
     * @return plaintext bytes encrypted (positive), or {@link #NOT_TAKEN}: the engine's {@code wrap} must
     * encrypt {@code src} (after {@code netOut}'s bytes, if any, are sent).
     */
    int encrypt(ByteBuffer src, ByteBuffer netOut);

    /** @return ciphertext bytes of the record the last {@link #decrypt} consumed. */
    int consumedBytes();
}
