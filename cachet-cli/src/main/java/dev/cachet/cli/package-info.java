/**
 * The {@code cachet} command line: {@link dev.cachet.cli.CachetCommand} is the root, and each
 * subcommand is a class of its own ({@link dev.cachet.cli.DemoCommand},
 * {@link dev.cachet.cli.SimulateCommand}). The work itself lives in subpackages free of
 * command-line concerns, so it can be tested without parsing arguments.
 */
package dev.cachet.cli;
