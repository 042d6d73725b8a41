package dev.redisstarter.lock;

/**
 * The fencing token of the lock a {@link WithLock} method runs under: declare a parameter of this type, pass
 * {@code null}, and the method receives its lease's token.
 *
 * @param value the token; strictly increasing across acquisitions of the lock
 */
public record FencingToken(long value) {
}
