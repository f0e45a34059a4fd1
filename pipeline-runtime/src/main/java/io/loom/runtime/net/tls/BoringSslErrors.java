package io.loom.runtime.net.tls;

/**
 * Reads the TLS alert out of a BoringSSL error string, as Netty's OpenSSL engine puts it in its
 * exception messages: {@code "error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION"}.
 * The hex word packs the library (bits 24-31, 0x10 = SSL) and the reason (bits 0-11). A reason of
 * 1000 + n means "alert n received from the peer"; a few other reasons (of the SSL and cipher
 * libraries) name the alert BoringSSL itself sent, e.g. BAD_DECRYPT: bad_record_mac.
 *
 * <p>Thread-safety: stateless.
 */
final class BoringSslErrors
{
    private static final String PREFIX = "error:";
    private static final int LIB_SSL = 0x10;
    private static final int ALERT_REASON_OFFSET = 1000;
    /** Packed error word 0: BoringSSL uses it for no error, so it marks "not an error string". */
    private static final int NO_ERROR = 0;

    private BoringSslErrors()
    {
    }

    /** @return the alert in a BoringSSL error string, received or sent, or null if it names none. */
    static String alertIn(final String message)
    {
        final int packed = packedError(message);
        if (packed == NO_ERROR)
        {
            return null;
        }
        if (packed >>> 24 == LIB_SSL && (packed & 0xFFF) >= ALERT_REASON_OFFSET)
        {
            return alertName((packed & 0xFFF) - ALERT_REASON_OFFSET);
        }
        return switch (reasonName(message))
        {
            case "DECRYPTION_FAILED_OR_BAD_RECORD_MAC", "BAD_DECRYPT" -> "bad_record_mac";
            case "UNSUPPORTED_PROTOCOL", "WRONG_VERSION_NUMBER" -> "protocol_version";
            case "NO_SHARED_CIPHER", "NO_SHARED_GROUP" -> "handshake_failure";
            case "UNEXPECTED_MESSAGE", "UNEXPECTED_RECORD" -> "unexpected_message";
            case "DECODE_ERROR" -> "decode_error";
            case "DATA_LENGTH_TOO_LONG", "ENCRYPTED_LENGTH_TOO_LONG" -> "record_overflow";
            default -> null;
        };
    }

    /** @return whether a BoringSSL error string reports an alert received from the peer. */
    static boolean alertFromPeer(final String message)
    {
        final int packed = packedError(message);
        return packed != NO_ERROR && packed >>> 24 == LIB_SSL && (packed & 0xFFF) >= ALERT_REASON_OFFSET;
    }

    /** The packed error word (library, reason) of a BoringSSL error string, or {@link #NO_ERROR}. */
    private static int packedError(final String message)
    {
        final int at = message == null ? -1 : message.indexOf(PREFIX);
        if (at < 0 || message.length() < at + PREFIX.length() + 8)
        {
            return NO_ERROR;
        }
        try
        {
            return Integer.parseUnsignedInt(message, at + PREFIX.length(), at + PREFIX.length() + 8, 16);
        }
        catch (final NumberFormatException notBoringSsl)
        {
            return NO_ERROR;
        }
    }

    private static String reasonName(final String message)
    {
        final int colon = message.lastIndexOf(':');
        int end = colon + 1;
        while (end < message.length() && (message.charAt(end) == '_' || Character.isLetterOrDigit(message.charAt(end))))
        {
            end++;
        }
        return message.substring(colon + 1, end);
    }

    /** The RFC 5246 / 8446 name of an alert description. */
    static String alertName(final int description)
    {
        return switch (description)
        {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 21 -> "decryption_failed";
            case 22 -> "record_overflow";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 113 -> "bad_certificate_status_response";
            case 115 -> "unknown_psk_identity";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> "alert_" + description;
        };
    }
}
