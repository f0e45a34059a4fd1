/** What {@code loom replay} prints at the end: its summary, as lines or one JSON object. */
package io.loom.cli.replay;
