package io.loom.runtime.net.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeUnit;

/**
 * The opening TLS handshake failed: a {@link Reason} to switch on, the peer, and the alert when
 * either side raised one. The message says all three, e.g.
 * {@code "TLS handshake with other.example (127.0.0.1:8443) failed: hostname mismatch: No subject
 * alternative DNS name matching other.example found. [alert certificate_unknown raised locally]"}.
 *
 * <p>Thread-safety: immutable.
 */
public final class TlsHandshakeException extends TlsException
{
    /** Why the handshake failed, independent of the JDK's messages. */
    public enum Reason
    {
        /** The handshake did not complete within the context's handshake timeout. */
        HANDSHAKE_TIMEOUT,
        /** The server's certificate chain does not lead to a trusted anchor, or is invalid (expired, …). */
        UNTRUSTED_CERTIFICATE,
        /** The certificate is trusted but not issued for the host that was asked for. */
        HOSTNAME_MISMATCH,
        /** The peer refused the handshake with a fatal alert; {@link #alert()} names it. */
        PEER_ALERT,
        /** The peer closed the connection during the handshake without an alert. */
        PEER_CLOSED,
        /** The local engine refused the handshake for another reason (no common protocol or cipher, bad message). */
        NEGOTIATION_FAILED
    }

    /** Why the handshake failed. */
    private final Reason reason;

    private TlsHandshakeException(
        final Reason reason, final String peer, final String alert, final boolean alertFromPeer, final String message, final Throwable cause)
    {
        super(peer, alert, alertFromPeer, message, cause);
        this.reason = reason;
    }

    /**
     * Why the handshake failed.
     *
     * @return the reason, never null.
     */
    public Reason reason()
    {
        return reason;
    }

    /** The handshake with {@code peer} took longer than {@code timeoutNs}. */
    static TlsHandshakeException timeout(final String peer, final long timeoutNs, final String waitingFor)
    {
        return new TlsHandshakeException(Reason.HANDSHAKE_TIMEOUT, peer, null, false,
            "TLS handshake with " + peer + " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms " + waitingFor,
            null);
    }

    /** The peer closed the TCP connection before the handshake completed. */
    static TlsHandshakeException peerClosed(final String peer, final Throwable cause)
    {
        return new TlsHandshakeException(Reason.PEER_CLOSED, peer, null, false,
            "TLS handshake with " + peer + " failed: the peer closed the connection during the handshake", cause);
    }

    /**
     * Classifies an engine's failure of the handshake by its cause chain and alert. The alert is in
     * the failure's message, or, when BoringSSL rejected a certificate, in its cause's.
     */
    static TlsHandshakeException of(final String peer, final Throwable failure)
    {
        final String jdkMessage = failure.getMessage();
        final String alert = alertInChain(failure);
        final boolean fromPeer = alertFromPeer(jdkMessage);
        final Reason reason;
        final String what;
        final String hostnameProblem = hostnameProblemIn(failure);
        final String certificateProblem = certificateProblemIn(failure);
        if (fromPeer)
        {
            reason = Reason.PEER_ALERT;
            what = "the peer refused it";
        }
        else if (hostnameProblem != null)
        {
            reason = Reason.HOSTNAME_MISMATCH;
            what = "hostname mismatch: " + hostnameProblem;
        }
        else if (certificateProblem != null)
        {
            reason = Reason.UNTRUSTED_CERTIFICATE;
            what = "untrusted certificate: " + stripAlert(certificateProblem);
        }
        else
        {
            reason = Reason.NEGOTIATION_FAILED;
            what = stripAlert(jdkMessage);
        }
        return new TlsHandshakeException(reason, peer, alert, fromPeer,
            "TLS handshake with " + peer + " failed: " + what + alertSuffix(alert, fromPeer), failure);
    }

    /** The first alert named in the cause chain's messages, or null. */
    private static String alertInChain(final Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            final String alert = alertIn(t.getMessage());
            if (alert != null)
            {
                return alert;
            }
        }
        return null;
    }

    /** The JDK's hostname-verification message in the cause chain, or null. */
    private static String hostnameProblemIn(final Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            final String message = t.getMessage();
            if (t instanceof CertificateException && message != null &&
                (message.startsWith("No subject alternative") || message.startsWith("No name matching")))
            {
                return message;
            }
        }
        return null;
    }

    /** The message of the first certificate exception in the cause chain, or null if there is none. */
    private static String certificateProblemIn(final Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (t instanceof CertificateException || t instanceof CertPathBuilderException || t instanceof CertPathValidatorException)
            {
                return String.valueOf(t.getMessage());
            }
        }
        return null;
    }

    private static String stripAlert(final String jdkMessage)
    {
        if (jdkMessage == null)
        {
            return "unknown failure";
        }
        return jdkMessage.startsWith("(") && jdkMessage.indexOf(") ") > 0 ?
            jdkMessage.substring(jdkMessage.indexOf(") ") + 2) : jdkMessage;
    }
}
