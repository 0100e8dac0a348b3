/**
 * Charts of a simulation's hit ratios ({@link dev.cachet.cli.simulate.plot.PlotWriter}): hit
 * ratio against cache size, one curve per policy, as a PNG or as an HTML page with inline SVG.
 */
package dev.cachet.cli.simulate.plot;
