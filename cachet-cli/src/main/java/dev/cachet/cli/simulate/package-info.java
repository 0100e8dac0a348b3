/**
 * The hit-ratio simulator behind {@code cachet simulate}: reading traces in the formats of
 * {@link dev.cachet.cli.simulate.TraceFormat}, compressed or not
 * ({@link dev.cachet.cli.simulate.TraceReader}, {@link dev.cachet.cli.simulate.Compression}),
 * replaying them through Cachet's memory stores and through Belady's optimal policy
 * ({@link dev.cachet.cli.simulate.Opt}), and collecting the results
 * ({@link dev.cachet.cli.simulate.Simulator}). Free of any command-line concern, so it can be
 * tested and reused on its own; the charts of the results are in
 * {@link dev.cachet.cli.simulate.plot}.
 */
package dev.cachet.cli.simulate;
