/**
 * Non-blocking network I/O for fibers: {@link io.loom.runtime.net.FiberTcpSocket}, a TCP
 * connection whose waits park only the calling fiber on a baton woken by its reactor's selector,
 * and {@link io.loom.runtime.net.FiberSocketException}, the typed failures it reports.
 */
package io.loom.runtime.net;
