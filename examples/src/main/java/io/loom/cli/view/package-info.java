/**
 * The live terminal view of a running pipeline ({@link io.loom.cli.view.LiveView}): rows per venue
 * and instrument, redrawn in place with ANSI escapes on a terminal, or printed as plain lines
 * every few seconds otherwise. Independent of where the rows come from, so any command can use it.
 */
package io.loom.cli.view;
