/**
 * Fingerprints that make a persistent cache notice code and type changes: a memoized function's
 * namespace is its name, the user's version, {@link dev.cachet.fingerprint.CodeFingerprint}
 * (its bytecode and that of same-package helpers, without debug information) and
 * {@link dev.cachet.fingerprint.TypeFingerprint} (the shape of its result type), so changing
 * either drops the old entries instead of serving stale or undecodable results.
 *
 * <p>What no fingerprint sees (code in other packages and libraries, field values,
 * configuration and data read at run time, captured values) is what a version is for.
 */
package dev.cachet.fingerprint;
