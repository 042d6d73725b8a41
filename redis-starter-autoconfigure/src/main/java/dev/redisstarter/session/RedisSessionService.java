package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ScriptRunner;

import static dev.redisstarter.core.ScriptArgs.utf8;
import static dev.redisstarter.session.SessionHash.text;

/**
 * {@link SessionService} on Redis. A session id ends with a tag derived from its user, and every key of a
 * user carries that tag, so a session and its user's index always share a Cluster slot and every operation
 * is one atomic script (no cross-slot step to keep in step):
 * <ul>
 * <li>{@code <prefix>session:{<tag>}:s:<id>}: hash with {@code user}, {@code created}, {@code accessed},
 * {@code absolute} (ms, Redis server time) and {@code a:<name>} per attribute (JSON), expiring at the idle
 * expiry, never later than {@code absolute};</li>
 * <li>{@code <prefix>session:{<tag>}:u:<user>}: sorted set of the user's session ids by creation time,
 * expiring with the longest-lived of them. Ids of ended sessions are pruned by every create and list, so the
 * index never holds more than the user's live sessions plus those ended since the last create.</li>
 * </ul>
 * Scripts: {@code create.lua} (prune, limit, write: one round trip), {@code read.lua} (read and slide),
 * {@code update.lua}, {@code rotate.lua}, {@code destroy.lua}, {@code list.lua}. When Redis cannot be reached,
 * calls fail within the command timeout with {@link SessionStoreUnavailableException}.
 */
public final class RedisSessionService implements SessionService {

	private final ScriptRunner scripts;

	/** read.lua's idle time to live argument, the same on every read. */
	private final byte[] idleMillis;

	private static final byte[] TOUCH = utf8("1");

	private static final byte[] READ_ONLY = utf8("0");

	private final SessionKeys keys;

	private final JsonCodec codec;

	private final SessionSettings settings;

	private final SessionMetrics metrics;

	private final @Nullable ApplicationEventPublisher events;

	private final SessionScripts lua = SessionScripts.load();

	/** How long a session call waits for Redis by default ({@code redis.starter.session.timeout}). */
	public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(600);

	private final SessionIds ids = new SessionIds();

	/**
	 * A session service.
	 * @param connectionFactory where connections come from
	 * @param keys the key naming
	 * @param codec writes and reads attribute values
	 * @param settings expiry and limits
	 * @param metrics where events are counted
	 * @param events where events are published, or {@code null}
	 */
	public RedisSessionService(RedisConnectionFactory connectionFactory, KeyNaming keys, JsonCodec codec,
			SessionSettings settings, SessionMetrics metrics, @Nullable ApplicationEventPublisher events) {
		this(RedisAccess.of(connectionFactory).calls(Feature.SESSION, DEFAULT_DEADLINE), keys, codec, settings, metrics,
				events);
	}

	/**
	 * A session service on the starter's shared access.
	 * @param calls the session calls, each bounded by the session deadline
	 * @param keys the key naming
	 * @param codec writes and reads attribute values
	 * @param settings expiry and limits
	 * @param metrics where events are counted
	 * @param events where events are published, or {@code null}
	 */
	public RedisSessionService(RedisCalls calls, KeyNaming keys, JsonCodec codec, SessionSettings settings,
			SessionMetrics metrics, @Nullable ApplicationEventPublisher events) {
		this.scripts = new ScriptRunner(calls);
		this.keys = new SessionKeys(Objects.requireNonNull(keys, "keys must not be null"));
		this.codec = Objects.requireNonNull(codec, "codec must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.idleMillis = utf8(Long.toString(settings.ttl().toMillis()));
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.events = events;
	}

	@Override
	public Session create(String userId, Map<String, ?> data) {
		checkUser(userId);
		String tag = SessionIds.tag(userId);
		String id = this.ids.newId(userId);
		List<byte[]> args = new ArrayList<>();
		args.add(utf8(sessionKey(tag, id)));
		args.add(utf8(indexKey(tag, userId)));
		args.add(utf8(sessionKey(tag, "")));
		args.add(utf8(id));
		args.add(utf8(userId));
		args.add(utf8(Long.toString(this.settings.ttl().toMillis())));
		args.add(utf8(Long.toString(this.settings.maxLifetime().toMillis())));
		args.add(utf8(Integer.toString(this.settings.maxPerUser())));
		args.add(utf8((this.settings.limitPolicy() == SessionSettings.LimitPolicy.REFUSE) ? "refuse" : "evict-oldest"));
		Map<String, JsonNode> attributes = encode(data, args, 9);
		List<Object> reply = run("create a session for user " + Masking.mask(userId), () -> this.scripts.multi(this.lua.create(),
				2, args.toArray(byte[][]::new)));
		if ((Long) reply.get(0) == 0L) {
			throw new SessionLimitExceededException(userId, this.settings.maxPerUser());
		}
		for (int i = 4; i < reply.size(); i++) {
			publish(SessionEvent.Kind.EVICTED, text(reply.get(i)), userId);
		}
		publish(SessionEvent.Kind.CREATED, id, userId);
		Instant created = Instant.ofEpochMilli((Long) reply.get(1));
		return new Session(id, userId, attributes, created, created, Instant.ofEpochMilli((Long) reply.get(2)),
				Instant.ofEpochMilli((Long) reply.get(3)), this.codec);
	}

	@Override
	public Optional<Session> get(String id) {
		return read(id, this.settings.touchOnRead());
	}

	@Override
	public Session refresh(String id) {
		return read(id, true).orElseThrow(() -> new SessionNotFoundException(id));
	}

	private Optional<Session> read(String id, boolean touch) {
		String tag = SessionIds.tagOf(id);
		if (tag == null) {
			return Optional.empty();
		}
		String key = sessionKey(tag, id);
		List<Object> reply = run("read a session", () -> this.scripts.multi(this.lua.read(), 1, utf8(key),
				touch ? TOUCH : READ_ONLY, this.idleMillis));
		if (reply.isEmpty()) {
			return Optional.empty();
		}
		if ("expired".equals(text(reply.get(0)))) {
			this.metrics.record(SessionEvent.Kind.EXPIRED);
			publish(SessionEvent.Kind.EXPIRED, id, "");
			return Optional.empty();
		}
		Optional<Session> session = parse(id, key, (Long) reply.get(2), reply.subList(3, reply.size()));
		if (session.isEmpty()) {
			destroy(id);
		}
		return session;
	}

	@Override
	public Session update(String id, Map<String, ?> data) {
		return change(id, "merge", data);
	}

	@Override
	public Session replace(String id, Map<String, ?> data) {
		return change(id, "replace", data);
	}

	private Session change(String id, String mode, Map<String, ?> data) {
		String tag = requireTag(id);
		List<byte[]> args = new ArrayList<>();
		args.add(utf8(sessionKey(tag, id)));
		args.add(utf8(mode));
		args.add(utf8(Long.toString(this.settings.maxSize())));
		encode(data, args, 3);
		Long changed = run("update a session", () -> this.scripts.integer(this.lua.update(), 1, args.toArray(byte[][]::new)));
		if (changed != null && changed < 0) {
			// The script measured the session as it would be after a merge.
			throw tooLarge(-changed);
		}
		if (changed == null || changed != 1L) {
			throw new SessionNotFoundException(id);
		}
		return read(id, false).orElseThrow(() -> new SessionNotFoundException(id));
	}

	@Override
	public Session rotate(String id) {
		String tag = requireTag(id);
		String fresh = this.ids.newIdWithTag(tag);
		Long rotated = run("rotate a session", () -> this.scripts.integer(this.lua.rotate(), 2, utf8(sessionKey(tag, id)),
				utf8(sessionKey(tag, fresh)), utf8(id), utf8(fresh), utf8(indexKey(tag, ""))));
		if (rotated == null || rotated != 1L) {
			throw new SessionNotFoundException(id);
		}
		return read(fresh, false).orElseThrow(() -> new SessionNotFoundException(fresh));
	}

	@Override
	public boolean destroy(String id) {
		String tag = SessionIds.tagOf(id);
		if (tag == null) {
			return false;
		}
		List<Object> reply = run("destroy a session", () -> this.scripts.multi(this.lua.destroy(), 1,
				utf8(sessionKey(tag, id)), utf8("one"), utf8(id), utf8(indexKey(tag, ""))));
		String userId = text(reply.get(0));
		for (int i = 1; i < reply.size(); i++) {
			publish(SessionEvent.Kind.DESTROYED, text(reply.get(i)), userId);
		}
		return reply.size() > 1;
	}

	@Override
	public int destroyAllForUser(String userId) {
		checkUser(userId);
		String tag = SessionIds.tag(userId);
		List<Object> reply = run("destroy the sessions of user " + Masking.mask(userId), () -> this.scripts.multi(
				this.lua.destroy(), 1, utf8(indexKey(tag, userId)), utf8("all"), utf8(sessionKey(tag, ""))));
		for (int i = 1; i < reply.size(); i++) {
			publish(SessionEvent.Kind.DESTROYED, text(reply.get(i)), userId);
		}
		return reply.size() - 1;
	}

	@Override
	public List<Session> listForUser(String userId) {
		checkUser(userId);
		String tag = SessionIds.tag(userId);
		List<Object> reply = run("list the sessions of user " + Masking.mask(userId),
				() -> this.scripts.multi(this.lua.list(), 1, utf8(indexKey(tag, userId)), utf8(sessionKey(tag, ""))));
		List<Session> sessions = new ArrayList<>();
		int i = 0;
		while (i < reply.size()) {
			String id = text(reply.get(i));
			long expiresAt = (Long) reply.get(i + 1);
			int fieldCount = ((Long) reply.get(i + 2)).intValue();
			List<Object> fields = reply.subList(i + 3, i + 3 + fieldCount);
			i += 3 + fieldCount;
			parse(id, sessionKey(tag, id), expiresAt, fields).ifPresent(sessions::add);
		}
		return sessions;
	}

	/**
	 * Builds a session from its hash fields. {@code expires} is epoch ms, or {@code -1 - ttl} when only the
	 * time to live is known. A session with missing fields or an attribute that does not parse is corrupt:
	 * it reads as absent (and the caller removes it), and the codec counts it.
	 */
	private Optional<Session> parse(String id, String key, long expires, List<Object> fields) {
		Optional<SessionHash> read = SessionHash.of(fields);
		if (read.isEmpty()) {
			return Optional.empty();
		}
		SessionHash hash = read.get();
		Map<String, JsonNode> attributes = new LinkedHashMap<>();
		for (Map.Entry<String, byte[]> attribute : hash.attributes().entrySet()) {
			Optional<JsonNode> node = this.codec.readTree(key, attribute.getValue());
			if (node.isEmpty()) {
				return Optional.empty();
			}
			attributes.put(attribute.getKey(), node.get());
		}
		long expiresAt = (expires >= 0) ? expires : hash.accessed() + Math.max(0, -1 - expires);
		return Optional.of(new Session(id, hash.user(), attributes, Instant.ofEpochMilli(hash.created()),
				Instant.ofEpochMilli(hash.accessed()), Instant.ofEpochMilli(Math.min(expiresAt, hash.absolute())),
				Instant.ofEpochMilli(hash.absolute()), this.codec));
	}

	/**
	 * Encodes the attributes into {@code args}, refusing them over the size bound before anything is sent.
	 * @param firstArg the index in {@code args} of the first attribute name
	 */
	private Map<String, JsonNode> encode(Map<String, ?> data, List<byte[]> args, int firstArg) {
		long size = 0;
		for (Map.Entry<String, ?> attribute : data.entrySet()) {
			String name = attribute.getKey();
			if (name == null || name.isEmpty()) {
				throw new IllegalArgumentException("Session attribute names must not be empty");
			}
			byte[] encodedName = utf8(name);
			byte[] json = this.codec.encode(attribute.getValue());
			size += encodedName.length + ((attribute.getValue() != null) ? json.length : 0);
			if (size > this.settings.maxSize()) {
				throw tooLarge(size);
			}
			args.add(encodedName);
			args.add(json);
		}
		Map<String, JsonNode> attributes = new LinkedHashMap<>();
		for (int i = firstArg; i + 1 < args.size(); i += 2) {
			String name = new String(args.get(i), StandardCharsets.UTF_8);
			if (data.get(name) != null) {
				attributes.put(name, this.codec.decode(name, args.get(i + 1), JsonNode.class).orElseThrow());
			}
		}
		return attributes;
	}

	private InputLimitExceededException tooLarge(long size) {
		return new InputLimitExceededException("Session data", size, this.settings.maxSize(), "bytes",
				"redis.starter.session.max-size");
	}

	private void publish(SessionEvent.Kind kind, String id, String userId) {
		if (kind != SessionEvent.Kind.EXPIRED) {
			this.metrics.record(kind);
		}
		if (this.events != null) {
			this.events.publishEvent(new SessionEvent(this, kind, id, userId));
		}
	}

	private <T> T run(String operation, java.util.function.Supplier<T> call) {
		try {
			return call.get();
		}
		catch (DataAccessException ex) {
			throw new SessionStoreUnavailableException(operation, ex);
		}
	}

	private String sessionKey(String tag, String id) {
		return this.keys.session(tag, id);
	}

	private String indexKey(String tag, String userId) {
		return this.keys.index(tag, userId);
	}

	private static String requireTag(String id) {
		String tag = SessionIds.tagOf(id);
		if (tag == null) {
			throw new SessionNotFoundException(id);
		}
		return tag;
	}

	private void checkUser(String userId) {
		if (userId == null || userId.isEmpty()) {
			throw new IllegalArgumentException("A user id must not be empty");
		}
		if (userId.length() > this.settings.maxUserIdLength()) {
			// Its length only: the id is the caller's data.
			throw new InputLimitExceededException("A session user id", userId.length(), this.settings.maxUserIdLength(),
					"characters", "redis.starter.session.max-user-id-length");
		}
	}

}
