package io.loom.runtime.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IpAddressLiteral}: literals are told from names without any lookup. */
class IpAddressLiteralTest
{
    @Test
    void shouldRecogniseAddressLiterals()
    {
        for (final String literal : new String[]{"127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "[::1]", "fe80::1%1", "::ffff:10.0.0.1"})
        {
            assertTrue(IpAddressLiteral.isLiteral(literal), literal);
        }
    }

    @Test
    void shouldTreatEverythingElseAsHostName()
    {
        for (final String name : new String[]{"localhost", "stream.binance.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.", "0x7f.0.0.1", "", "no-such-host.invalid"})
        {
            assertFalse(IpAddressLiteral.isLiteral(name), name);
        }
    }

    @Test
    void shouldParseLiteralsWithoutLookingUp() throws Exception
    {
        assertEquals(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), IpAddressLiteral.toAddress("127.0.0.1"));
        assertEquals(InetAddress.getByName("::1"), IpAddressLiteral.toAddress("[::1]"));
        assertThrows(IllegalArgumentException.class, () -> IpAddressLiteral.toAddress("localhost"));
        assertThrows(IllegalArgumentException.class, () -> IpAddressLiteral.toAddress("1:2:3:4:5:6:7:8:9"));
    }
}
