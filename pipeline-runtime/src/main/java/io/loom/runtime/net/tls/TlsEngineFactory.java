package io.loom.runtime.net.tls;

import javax.net.ssl.SSLEngine;

/**
 * Makes the client engines of one {@link TlsContext} for one {@link TlsEngineProvider}, and frees
 * what an engine holds outside the heap when its connection closes. Built once by
 * {@link TlsContext#conclude()}; the context applies protocols, SNI and hostname verification to
 * every engine made here.
 *
 * <p>Thread-safety: implementations are immutable and may make engines from any thread.
 */
interface TlsEngineFactory
{
    /** A new client engine for {@code host}:{@code port} (the session cache's key). */
    SSLEngine newEngine(String host, int port);

    /**
     * The direct record path for an engine of this factory whose handshake is finished, or null
     * if its engine has none (the JDK's) or it is not available here: records then stay on the
     * engine's {@code wrap}/{@code unwrap}.
     */
    TlsDirectRecords directRecords(SSLEngine engine);

    /** Frees the engine's native state, if it has any; called once, when its connection is closed. */
    void release(SSLEngine engine);
}
