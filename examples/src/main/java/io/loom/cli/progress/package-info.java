/** How {@code loom} shows the progress of long work on standard error: {@link io.loom.cli.progress.ProgressBar}. */
package io.loom.cli.progress;
