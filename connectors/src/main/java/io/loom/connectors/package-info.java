/**
 * Exchange connectors, one package per venue (decoder, session, book sync, checksum), and the
 * exchange simulator that tests and demos connect to on loopback.
 */
package io.loom.connectors;
