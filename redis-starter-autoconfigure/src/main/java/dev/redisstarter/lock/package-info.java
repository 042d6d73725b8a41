/**
 * Distributed locks with fencing tokens, lease renewal and prompt hand-off:
 * {@link dev.redisstarter.lock.DistributedLock} and {@link dev.redisstarter.lock.WithLock}.
 */
@NullMarked
package dev.redisstarter.lock;

import org.jspecify.annotations.NullMarked;
