/** What {@code loom replay} prints: its progress bar and its final summary. */
package io.loom.cli.replay;
