/**
 * The {@code loom} command-line application ({@link io.loom.cli.LoomCli}), one command per class:
 * {@link io.loom.cli.FibersCommand} is {@code loom fibers}.
 */
package io.loom.cli;
