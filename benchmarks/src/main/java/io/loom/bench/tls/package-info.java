/**
 * What TLS record decryption costs a client per cipher suite and engine (BoringSSL, the JDK's), in
 * thread CPU time: {@link io.loom.bench.tls.TlsRecordDecryptCpuHarness}.
 */
package io.loom.bench.tls;
