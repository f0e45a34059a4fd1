package io.loom.runtime.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Tells IP address literals ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}) from host names without
 * ever resolving anything, and turns a literal into an {@link InetAddress}: address literals need no
 * DNS, get no TLS server name indication, and are verified against IP subject alternative names.
 *
 * <p>Thread-safety: stateless.
 */
public final class IpAddressLiteral
{
    private IpAddressLiteral()
    {
    }

    /**
     * Whether {@code host} is an IPv4 dotted quad or an IPv6 literal (with or without brackets).
     *
     * @param host a host as written in a URI.
     * @return true for an address literal, false for anything to resolve as a name.
     */
    public static boolean isLiteral(final String host)
    {
        return isIpv4(host) || isIpv6(unbracketed(host));
    }

    /**
     * The address a literal spells. Never looks anything up.
     *
     * @param literal a host for which {@link #isLiteral(String)} is true.
     * @return the address.
     * @throws IllegalArgumentException if {@code literal} is not an address literal, or a malformed one.
     */
    public static InetAddress toAddress(final String literal)
    {
        if (!isLiteral(literal))
        {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try
        {
            return InetAddress.getByName(unbracketed(literal)); // a literal is parsed, never looked up
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("malformed IP address literal: " + literal, ex);
        }
    }

    /**
     * {@code host} without the brackets an IPv6 literal has in a URI.
     *
     * @param host a host as written in a URI.
     * @return the host without surrounding {@code [ ]}.
     */
    public static String unbracketed(final String host)
    {
        return host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']' ?
            host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpv4(final String host)
    {
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            if (c >= '0' && c <= '9')
            {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && parts < 3)
            {
                parts++;
                value = -1;
                digits = 0;
            }
            else
            {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    private static boolean isIpv6(final String host)
    {
        if (host.indexOf(':') < 0)
        {
            return false;
        }
        final int scope = host.indexOf('%');
        final int end = scope < 0 ? host.length() : scope;
        for (int i = 0; i < end; i++)
        {
            final char c = host.charAt(i);
            final boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.')
            {
                return false;
            }
        }
        return true;
    }
}
