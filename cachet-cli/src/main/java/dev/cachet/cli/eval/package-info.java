/**
 * {@code cachet eval}: a team's own labelled prompt pairs run through the semantic cache's
 * decision (bundled model and guard), as precision and recall per similarity threshold and a
 * chart, so the threshold can be calibrated for their domain.
 */
package dev.cachet.cli.eval;
