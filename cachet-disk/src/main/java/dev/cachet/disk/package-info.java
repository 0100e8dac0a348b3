/**
 * The persistent tier: {@link dev.cachet.disk.DiskStore}, a {@link dev.cachet.tier.Store} over
 * one SQLite database in WAL mode per directory, with large values in side files.
 */
package dev.cachet.disk;
