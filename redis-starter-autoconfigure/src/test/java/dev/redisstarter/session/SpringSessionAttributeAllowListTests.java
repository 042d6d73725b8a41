package dev.redisstarter.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The standard attribute codec deserializes only allowed classes: what Spring Security keeps in a session round-trips,
 * a class outside the allow-list written into Redis reads as absent without ever being built, and the property's
 * patterns allow the application's own classes.
 */
@RealRedis
class SpringSessionAttributeAllowListTests {

	private static final KeyNaming KEYS = new KeyNaming("ssallow:");

	/** The tokens of the {@link Gadget}s whose readObject ran, so that a test can tell whether its own did. */
	static final Set<String> GADGETS_READ = ConcurrentHashMap.newKeySet();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final LettuceConnectionFactory factory = ConnectionFactories.lettuce(SharedRedis.standalone());

	@AfterEach
	void close() {
		this.factory.destroy();
	}

	private SpringSessionBridge bridge(List<String> serializableClasses) {
		DecodeFailureReporter failures = new DecodeFailureReporter(this.meters);
		JsonCodec json = new JsonCodec(JsonMapper.builder().build(), failures);
		return new SpringSessionBridge(RedisAccess.of(this.factory).calls(Feature.SESSION, Duration.ofSeconds(2)),
				KEYS, SessionSettings.DEFAULTS, SessionAttributeCodec.standard(json, failures, null, serializableClasses),
				new SessionMetrics(this.meters), null);
	}

	private double decodeFailures() {
		return this.meters.get(DecodeFailureReporter.METER_NAME).counter().count();
	}

	/** Writes a value into a saved session's hash as the standard codec would, bypassing its checks. */
	private void plant(String sessionId, String attribute, Object value) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		String key = KEYS.hashTagged(Feature.SESSION, SessionIds.tagOf(sessionId), "s", sessionId);
		new StringRedisTemplate(this.factory).opsForHash()
			.put(key, "a:" + attribute,
					"{\"@java-serialized\":\"" + Base64.getEncoder().encodeToString(bytes.toByteArray()) + "\"}");
	}

	private BridgedSession saved(SpringSessionBridge bridge) {
		BridgedSession session = bridge.createSession();
		session.setAttribute("kept", "yes");
		bridge.save(session);
		return session;
	}

	@Test
	void aSecurityContextWithUserDetailsAuthoritiesAndWebDetailsRoundTrips() {
		SpringSessionBridge bridge = bridge(List.of());
		User user = new User("ann", "secret", List.of(new SimpleGrantedAuthority("ROLE_USER")));
		UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.authenticated(user, null,
				user.getAuthorities());
		token.setDetails(new WebAuthenticationDetails("10.0.0.7", "an-old-session-id"));
		BridgedSession session = bridge.createSession();
		session.setAttribute("SPRING_SECURITY_CONTEXT", new SecurityContextImpl(token));
		session.setAttribute("names", new String[] { "a", "b" });
		session.setAttribute("when", Instant.ofEpochSecond(1_700_000_000L));
		bridge.save(session);

		BridgedSession found = bridge.findById(session.getId());
		SecurityContext context = found.getAttribute("SPRING_SECURITY_CONTEXT");
		assertThat(context.getAuthentication().getPrincipal()).isEqualTo(user);
		assertThat(context.getAuthentication().getAuthorities()).extracting("authority").containsExactly("ROLE_USER");
		assertThat(((WebAuthenticationDetails) context.getAuthentication().getDetails()).getRemoteAddress())
			.isEqualTo("10.0.0.7");
		assertThat(found.<String[]>getAttribute("names")).containsExactly("a", "b");
		assertThat(found.<Instant>getAttribute("when")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
		assertThat(this.meters.find(DecodeFailureReporter.METER_NAME).counter()).isNull();
	}

	@Test
	void aClassOutsideTheAllowListWrittenIntoRedisReadsAsAbsentAndIsNeverBuilt() throws IOException {
		SpringSessionBridge bridge = bridge(List.of());
		BridgedSession session = saved(bridge);
		Gadget gadget = new Gadget();
		plant(session.getId(), "gadget", gadget);
		plant(session.getId(), "gadgets", new Gadget[] { gadget });
		plant(session.getId(), "inside", new ArrayList<>(List.of("x", gadget)));

		BridgedSession found = bridge.findById(session.getId());
		assertThat(found.<Object>getAttribute("gadget")).isNull();
		assertThat(found.<Object>getAttribute("gadgets")).isNull();
		assertThat(found.<Object>getAttribute("inside")).isNull();
		assertThat(found.<String>getAttribute("kept")).isEqualTo("yes");
		assertThat(GADGETS_READ).doesNotContain(gadget.token);
		assertThat(decodeFailures()).isEqualTo(3);
	}

	@Test
	void aGraphNestedTooDeeplyReadsAsAbsent() throws IOException {
		SpringSessionBridge bridge = bridge(List.of());
		BridgedSession session = saved(bridge);
		List<Object> nested = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			nested = new ArrayList<>(List.of(nested));
		}
		plant(session.getId(), "deep", nested);
		assertThat(bridge.findById(session.getId()).<Object>getAttribute("deep")).isNull();
		assertThat(decodeFailures()).isEqualTo(1);
	}

	@Test
	void aPatternOfThePropertyAllowsAnApplicationClass() throws IOException {
		SpringSessionBridge bridge = bridge(List.of("dev.redisstarter.session.SpringSessionAttributeAllowListTests$*"));
		BridgedSession session = saved(bridge);
		Gadget gadget = new Gadget();
		session.setAttribute("gadget", gadget);
		bridge.save(session);
		Gadget found = bridge.findById(session.getId()).getAttribute("gadget");
		assertThat(found.token).isEqualTo(gadget.token);
		// The control for the test above: a gadget that is read back is seen reading.
		assertThat(GADGETS_READ).contains(gadget.token);
	}

	@Test
	void savingAClassOutsideTheAllowListFailsNamingTheAttributeAndTheProperty() {
		SpringSessionBridge bridge = bridge(List.of());
		BridgedSession session = bridge.createSession();
		session.setAttribute("cart", new Gadget());
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> bridge.save(session))
			.withMessageContaining("'cart'")
			.withMessageContaining("redis.starter.session.spring-session.serializable-classes");
	}

	@Test
	void aPatternThatIsNotOneIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> bridge(List.of("maxdepth=many")))
			.withMessageContaining("maxdepth=many");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> bridge(List.of("a.B;*")))
			.withMessageContaining("a.B;*");
	}

	/** A serializable class of the application's that records each time Java deserialization builds one. */
	static final class Gadget implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

		final String token = UUID.randomUUID().toString();

		@Serial
		private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
			in.defaultReadObject();
			GADGETS_READ.add(this.token);
		}

	}

}
