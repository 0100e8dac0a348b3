/**
 * Single-threaded models of candidate eviction policies for the simulator (SIEVE, S3-FIFO, ARC,
 * LIRS, W-TinyLFU with a fixed or hill-climbed window, and Cachet's shadow-tuned design), each a
 * {@link dev.cachet.cli.simulate.candidates.CandidateCache} selectable by name through
 * {@link dev.cachet.cli.simulate.SimulatedPolicy}. They count entries, store no values and are
 * used by no cache: they exist so that designs can be compared side by side, and the comparison
 * rerun, before one is worth writing as a thread-safe store.
 */
package dev.cachet.cli.simulate.candidates;
