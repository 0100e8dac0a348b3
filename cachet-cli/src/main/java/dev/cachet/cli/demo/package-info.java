/**
 * The guided tour behind {@code cachet demo}: {@link dev.cachet.cli.demo.Demo} shows Cachet's
 * public API at work, writing to a {@link java.io.PrintStream} it is given.
 */
package dev.cachet.cli.demo;
