/**
 * The fiber runtime self-check behind {@code loom fibers}: {@link io.loom.cli.fibers.FiberSelfCheck}
 * runs one small check per class on a real reactor and returns a
 * {@link io.loom.cli.fibers.FiberSelfCheckReport}.
 */
package io.loom.cli.fibers;
