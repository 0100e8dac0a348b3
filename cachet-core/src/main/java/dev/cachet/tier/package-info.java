/**
 * Tiers below memory: the {@link dev.cachet.tier.Store} contract that the disk and Redis modules
 * implement, over framed entries ({@link dev.cachet.codec.EntryFrame}).
 */
package dev.cachet.tier;
