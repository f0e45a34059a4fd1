/**
 * {@code loom run}: a pipeline from a JSON config. {@link io.loom.cli.run.RunConfigReader} reads and
 * validates the file into a {@link io.loom.cli.run.RunConfig} (every problem named by its JSON path),
 * {@link io.loom.cli.run.ConfiguredPipeline} builds it, {@link io.loom.cli.run.RunReport} prints its
 * status and summary. The schema: {@code examples/config/README.md}.
 */
package io.loom.cli.run;
