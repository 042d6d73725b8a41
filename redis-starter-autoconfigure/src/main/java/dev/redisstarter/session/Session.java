package dev.redisstarter.session;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import dev.redisstarter.core.JsonCodec;

/**
 * A session as read from Redis: its id, its user, its attributes, and when it was created, last used, and
 * when it ends. Immutable; change it through {@link SessionService}.
 */
public final class Session {

	private final String id;

	private final String userId;

	private final Map<String, JsonNode> attributes;

	private final Instant createdAt;

	private final Instant lastAccessedAt;

	private final Instant expiresAt;

	private final Instant maxExpiresAt;

	private final JsonCodec codec;

	Session(String id, String userId, Map<String, JsonNode> attributes, Instant createdAt, Instant lastAccessedAt,
			Instant expiresAt, Instant maxExpiresAt, JsonCodec codec) {
		this.id = id;
		this.userId = userId;
		this.attributes = Map.copyOf(attributes);
		this.createdAt = createdAt;
		this.lastAccessedAt = lastAccessedAt;
		this.expiresAt = expiresAt;
		this.maxExpiresAt = maxExpiresAt;
		this.codec = codec;
	}

	/**
	 * The session id (128 random bits, URL-safe).
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The user the session belongs to.
	 * @return the user id
	 */
	public String userId() {
		return this.userId;
	}

	/**
	 * The attributes as JSON trees.
	 * @return attributes by name
	 */
	public Map<String, JsonNode> attributes() {
		return this.attributes;
	}

	/**
	 * One attribute, read as a type.
	 * @param <T> the type
	 * @param name the attribute's name
	 * @param type the type, such as {@code Cart.class}
	 * @return the value, or empty when the session has no such attribute
	 * @throws IllegalArgumentException when the stored value does not fit the type
	 */
	public <T> Optional<T> attribute(String name, Class<T> type) {
		return attribute(name, (Type) type);
	}

	/**
	 * One attribute, read as a generic type.
	 * @param <T> the type
	 * @param name the attribute's name
	 * @param type the type, such as {@code new TypeReference<List<Item>>() {}}
	 * @return the value, or empty when the session has no such attribute
	 */
	public <T> Optional<T> attribute(String name, TypeReference<T> type) {
		return attribute(name, type.getType());
	}

	private <T> Optional<T> attribute(String name, Type type) {
		JsonNode value = this.attributes.get(name);
		return (value == null || value.isNull()) ? Optional.empty()
				: Optional.ofNullable(this.codec.convert(value, this.codec.javaType(type)));
	}

	/**
	 * When the session was created.
	 * @return the creation time (Redis server time)
	 */
	public Instant createdAt() {
		return this.createdAt;
	}

	/**
	 * When the session was last read with a touch, or created.
	 * @return the last access
	 */
	public Instant lastAccessedAt() {
		return this.lastAccessedAt;
	}

	/**
	 * When the session ends unless used again.
	 * @return the idle expiry
	 */
	public Instant expiresAt() {
		return this.expiresAt;
	}

	/**
	 * When the session ends whatever its use.
	 * @return the absolute expiry
	 */
	public Instant maxExpiresAt() {
		return this.maxExpiresAt;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Session session && this.id.equals(session.id) && this.userId.equals(session.userId)
				&& this.attributes.equals(session.attributes) && this.createdAt.equals(session.createdAt);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.userId, this.attributes, this.createdAt);
	}

	@Override
	public String toString() {
		return "Session[" + this.userId + ", attributes " + this.attributes.keySet() + ", expires " + this.expiresAt + "]";
	}

}
