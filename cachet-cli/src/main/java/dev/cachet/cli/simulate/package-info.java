/**
 * The hit-ratio simulator behind {@code cachet simulate}: reading LIRS traces
 * ({@link dev.cachet.cli.simulate.TraceReader}), replaying them through Cachet's memory stores and
 * through Belady's optimal policy ({@link dev.cachet.cli.simulate.Opt}), and collecting the results
 * ({@link dev.cachet.cli.simulate.Simulator}). Free of any command-line concern, so it can be tested
 * and reused on its own.
 */
package dev.cachet.cli.simulate;
