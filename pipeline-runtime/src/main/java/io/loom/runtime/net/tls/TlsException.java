package io.loom.runtime.net.tls;

import java.io.IOException;
import java.util.Locale;

/**
 * A failed TLS connection: names the peer and, when one was raised, the TLS alert
 * ({@code "bad_record_mac"}, {@code "certificate_unknown"}, …) and which side raised it. Failures of
 * the opening handshake are the subtype {@link TlsHandshakeException}, with a reason to switch on.
 * The JDK's {@link javax.net.ssl.SSLException}, when there is one, is the cause.
 *
 * <p>Thread-safety: immutable.
 */
public sealed class TlsException extends IOException permits TlsHandshakeException
{
    /** The peer: {@code host (ip:port)}. */
    private final String peer;
    /** The alert's description, or null when none was raised. */
    private final String alert;
    /** Whether the peer (not the local engine) raised the alert. */
    private final boolean alertFromPeer;

    TlsException(final String peer, final String alert, final boolean alertFromPeer, final String message, final Throwable cause)
    {
        super(message, cause);
        this.peer = peer;
        this.alert = alert;
        this.alertFromPeer = alertFromPeer;
    }

    /**
     * The peer the connection was with.
     *
     * @return {@code host (ip:port)}, or {@code ip:port} when the host is an address literal.
     */
    public String peer()
    {
        return peer;
    }

    /**
     * The TLS alert raised with the failure, by either side.
     *
     * @return its description as the RFCs spell it ({@code "handshake_failure"}), or null if none.
     */
    public String alert()
    {
        return alert;
    }

    /**
     * Which side raised {@link #alert()}.
     *
     * @return true if the peer sent it, false if the local engine raised it (or there is none).
     */
    public boolean alertFromPeer()
    {
        return alertFromPeer;
    }

    /** A failure after the handshake: a bad record, an alert from the peer, a closed session. */
    static TlsException of(final String peer, final String what, final Throwable cause)
    {
        final String jdkMessage = cause == null ? null : cause.getMessage();
        final String alert = alertIn(jdkMessage);
        final boolean fromPeer = alertFromPeer(jdkMessage);
        return new TlsException(peer, alert, fromPeer,
            "TLS connection with " + peer + ": " + what + alertSuffix(alert, fromPeer), cause);
    }

    /**
     * The alert in a TLS engine's message. SunJSSE writes {@code "(certificate_unknown) PKIX path …"}
     * for an alert it raises and {@code "(protocol_version) Received fatal alert: protocol_version"}
     * for one it received; BoringSSL writes an error string ({@link BoringSslErrors}).
     */
    static String alertIn(final String jdkMessage)
    {
        if (jdkMessage == null || jdkMessage.isEmpty() || jdkMessage.charAt(0) != '(')
        {
            final String received = receivedAlertIn(jdkMessage);
            return received != null ? received : BoringSslErrors.alertIn(jdkMessage);
        }
        final int end = jdkMessage.indexOf(')');
        if (end <= 1)
        {
            return null;
        }
        final String alert = jdkMessage.substring(1, end);
        for (int i = 0; i < alert.length(); i++)
        {
            final char c = alert.charAt(i);
            if (c != '_' && (c < 'a' || c > 'z'))
            {
                return null;
            }
        }
        return alert;
    }

    /** Whether a TLS engine's message reports an alert received from the peer. */
    static boolean alertFromPeer(final String jdkMessage)
    {
        return jdkMessage != null && jdkMessage.toLowerCase(Locale.ROOT).contains("received fatal alert") ||
            BoringSslErrors.alertFromPeer(jdkMessage);
    }

    /** {@code " [alert certificate_unknown raised locally]"}, or empty. */
    static String alertSuffix(final String alert, final boolean fromPeer)
    {
        return alert == null ? "" : " [alert " + alert + (fromPeer ? " sent by the peer]" : " raised locally]");
    }

    private static String receivedAlertIn(final String jdkMessage)
    {
        final String marker = "Received fatal alert: ";
        final int at = jdkMessage == null ? -1 : jdkMessage.indexOf(marker);
        if (at < 0)
        {
            return null;
        }
        int end = at + marker.length();
        while (end < jdkMessage.length() && (jdkMessage.charAt(end) == '_' || Character.isLetter(jdkMessage.charAt(end))))
        {
            end++;
        }
        return end == at + marker.length() ? null : jdkMessage.substring(at + marker.length(), end);
    }
}
