/**
 * Where the connector reactor's CPU per Binance message goes, stage by stage, on the e2e stream's
 * real frames: {@link io.loom.bench.reactor.BinanceReactorStagesCpuHarness}.
 */
package io.loom.bench.reactor;
