/**
 * The exchange simulator, a test kit: {@link io.loom.connectors.simulator.ExchangeSimulator} serves
 * one recorded capture over a real loopback WebSocket ({@code ws://}, {@code wss://}) and REST, for
 * Binance (spot, USD-M, COIN-M) and Kraken v1, with faults injected on request through
 * {@link io.loom.connectors.simulator.SimulatorFaults} and what was served counted in
 * {@link io.loom.connectors.simulator.SimulatorCounters}; configured by
 * {@link io.loom.connectors.simulator.SimulatorContext}.
 *
 * <p>Needs Netty and Jackson on the class path: they are optional dependencies of the connectors
 * module, so a user who runs the simulator declares them (tests and examples do).
 */
package io.loom.connectors.simulator;
