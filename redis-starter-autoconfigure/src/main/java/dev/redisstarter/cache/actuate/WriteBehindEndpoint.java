package dev.redisstarter.cache.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import dev.redisstarter.cache.WriteBehind;
import dev.redisstarter.cache.WriteBehindDeadLetter;
import dev.redisstarter.core.RedisPermissionException;

/**
 * {@code /actuator/writebehind}: every write-behind cache with its backlog (writes not persisted yet) and its dead
 * letters; {@code /actuator/writebehind/{cache}} one cache with more of them. {@code POST
 * /actuator/writebehind/{cache}} replays every dead letter of the cache, {@code POST
 * /actuator/writebehind/{cache}/{partition}/{id}} one; {@code DELETE /actuator/writebehind/{cache}} purges them. The
 * endpoint is read-only by default ({@link Access#READ_ONLY}): replay and purge exist only with
 * {@code management.endpoint.writebehind.access=unrestricted}. While Redis is unreachable the read operations answer
 * within the write-behind deadline with an {@code error} per cache; the others fail with Redis's exception.
 */
@Endpoint(id = "writebehind", defaultAccess = Access.READ_ONLY)
public class WriteBehindEndpoint {

	private static final int LISTED_DEAD_LETTERS = 20;

	private static final int CACHE_DEAD_LETTERS = 100;

	/** Characters of a dead letter's value and message in the lists. */
	public static final int PREVIEW = 1_000;

	/**
	 * {@code GET /actuator/writebehind}.
	 *
	 * @param caches per write-behind cache, sorted by name
	 */
	public record Caches(Map<String, CacheDescriptor> caches) implements OperationResponseBody {
	}

	/**
	 * One write-behind cache. The counts are {@code null} when Redis could not be read ({@code error} says why).
	 *
	 * @param backlog writes not persisted yet, in every partition, whichever instance persists them
	 * @param deadLetterCount writes given up on, in every partition
	 * @param deadLetters the oldest dead letters, partition by partition
	 * @param error why the cache could not be read; absent from the JSON when it could
	 */
	public record CacheDescriptor(@Nullable Long backlog, @Nullable Long deadLetterCount, List<DeadLetter> deadLetters,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) implements OperationResponseBody {
	}

	/**
	 * A dead letter as the lists show it.
	 *
	 * @param partition the partition it was written to ({@code POST .../{cache}/{partition}/{id}} replays it)
	 * @param id its id in the partition's dead letters
	 * @param key the cache key
	 * @param operation {@code SET} or {@code DELETE}
	 * @param value the value's JSON, cut to {@link #PREVIEW} characters ({@code null} for a delete)
	 * @param error the class name of the exception the writer threw last
	 * @param message why it was given up, cut to {@link #PREVIEW} characters
	 * @param attempts how many times the writer was called with it
	 * @param failedAt when it was given up (the server's time)
	 */
	public record DeadLetter(int partition, String id, String key, WriteBehindDeadLetter.Operation operation,
			@Nullable String value, String error, String message, long attempts, @Nullable Instant failedAt) {

		static DeadLetter of(WriteBehindDeadLetter letter) {
			return new DeadLetter(letter.partition(), letter.id(), letter.key(), letter.operation(),
					preview(letter.value()), letter.error(), Objects.requireNonNull(preview(letter.message())),
					letter.attempts(), letter.failedAt());
		}

		private static @Nullable String preview(@Nullable String text) {
			return (text != null && text.length() > PREVIEW) ? text.substring(0, PREVIEW) : text;
		}

	}

	/**
	 * The result of a replay.
	 *
	 * @param replayed how many dead letters went back to be persisted
	 */
	public record Replayed(long replayed) implements OperationResponseBody {
	}

	/**
	 * The result of a purge.
	 *
	 * @param purged how many dead letters were deleted
	 */
	public record Purged(long purged) implements OperationResponseBody {
	}

	private final WriteBehind writeBehind;

	/**
	 * The endpoint.
	 * @param writeBehind reads backlogs and dead letters, replays and purges them
	 */
	public WriteBehindEndpoint(WriteBehind writeBehind) {
		this.writeBehind = Objects.requireNonNull(writeBehind, "writeBehind must not be null");
	}

	/**
	 * Every write-behind cache. Once Redis fails to answer for one, the others are not asked (each would wait for
	 * the deadline again): they carry an {@code error} too.
	 * @return per cache its backlog, dead-letter count, oldest dead letters and any {@code error}
	 */
	@ReadOperation
	public Caches caches() {
		Map<String, CacheDescriptor> caches = new LinkedHashMap<>();
		String skipped = null;
		for (String cache : this.writeBehind.caches()) {
			if (skipped != null) {
				caches.put(cache, new CacheDescriptor(null, null, List.of(), skipped));
				continue;
			}
			Read read = read(cache, LISTED_DEAD_LETTERS);
			if (read.unreachable()) {
				skipped = "Not read: Redis did not answer for cache '" + cache + "'";
			}
			caches.put(cache, read.shown());
		}
		return new Caches(caches);
	}

	/**
	 * One write-behind cache.
	 * @param cache the cache's name
	 * @return its backlog, dead-letter count, oldest dead letters and any {@code error}
	 */
	@ReadOperation
	public CacheDescriptor cache(@Selector String cache) {
		return read(requireWriteBehind(cache), CACHE_DEAD_LETTERS).shown();
	}

	/**
	 * Replays every dead letter of a cache: each goes back to its partition as a new write of its key, persisted
	 * unless the key was written again since. A write operation, so only there with
	 * {@code management.endpoint.writebehind.access=unrestricted}.
	 * @param cache the cache's name
	 * @return how many were replayed
	 */
	@WriteOperation
	public Replayed replayAll(@Selector String cache) {
		return new Replayed(this.writeBehind.replayAll(requireWriteBehind(cache)));
	}

	/**
	 * Replays one dead letter. A write operation, so only there with
	 * {@code management.endpoint.writebehind.access=unrestricted}.
	 * @param cache the cache's name
	 * @param partition the dead letter's partition
	 * @param id the dead letter's id
	 * @return 1 when it was replayed, 0 when it was not there (any more)
	 */
	@WriteOperation
	public Replayed replay(@Selector String cache, @Selector int partition, @Selector String id) {
		String name = requireWriteBehind(cache);
		try {
			return new Replayed(this.writeBehind.replay(name, partition, id) ? 1 : 0);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	/**
	 * Deletes every dead letter of a cache: those writes are lost. A delete operation, so only there with
	 * {@code management.endpoint.writebehind.access=unrestricted}.
	 * @param cache the cache's name
	 * @return how many were deleted
	 */
	@DeleteOperation
	public Purged purge(@Selector String cache) {
		return new Purged(this.writeBehind.purge(requireWriteBehind(cache)));
	}

	private Read read(String cache, int deadLetters) {
		Long backlog = null;
		Long count = null;
		try {
			backlog = this.writeBehind.backlog(cache);
			count = this.writeBehind.deadLetterCount(cache);
			List<DeadLetter> letters = this.writeBehind.deadLetters(cache, deadLetters)
				.stream()
				.map(DeadLetter::of)
				.toList();
			return new Read(new CacheDescriptor(backlog, count, letters, null), false);
		}
		catch (DataAccessException | RedisPermissionException ex) {
			return new Read(new CacheDescriptor(backlog, count, List.of(), String.valueOf(ex.getMessage())),
					ex instanceof RedisConnectionFailureException || ex instanceof QueryTimeoutException);
		}
	}

	private String requireWriteBehind(String cache) {
		if (!this.writeBehind.caches().contains(cache)) {
			String message = "Cache '" + cache + "' is not write-behind (write-behind caches: "
					+ this.writeBehind.caches() + ")";
			throw new InvalidEndpointRequestException(message, message);
		}
		return cache;
	}

	/** One cache as shown, and whether reading it found Redis away. */
	private record Read(CacheDescriptor shown, boolean unreachable) {
	}

}
