package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.SessionRepository;

import dev.redisstarter.session.BridgedSession;
import dev.redisstarter.session.SessionAttributeCodec;
import dev.redisstarter.session.SessionEvent;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.session.SessionSettings;
import dev.redisstarter.session.SpringSessionBridge;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@RealRedis
class SessionAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterSessionAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=se-" + UUID.randomUUID() + ":");

	@Test
	void propertiesBecomeTheSessionSettings() {
		this.runner
			.withPropertyValues("redis.starter.session.ttl=10m", "redis.starter.session.max-lifetime=2h",
					"redis.starter.session.touch-on-read=false", "redis.starter.session.max-per-user=5",
					"redis.starter.session.limit-policy=refuse")
			.run((context) -> assertThat(context.getBean(SessionSettings.class)).isEqualTo(new SessionSettings(
					Duration.ofMinutes(10), Duration.ofHours(2), false, 5, SessionSettings.LimitPolicy.REFUSE)));
	}

	@Test
	void sessionEventsArePublishedAsApplicationEvents() {
		java.util.List<SessionEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.runner.withBean("listener", ApplicationListener.class,
				() -> (ApplicationListener<SessionEvent>) seen::add).run((context) -> {
					SessionService sessions = context.getBean(SessionService.class);
					String id = sessions.create("ann", Map.of()).id();
					sessions.destroy(id);
					assertThat(seen).extracting(SessionEvent::getKind)
						.containsExactly(SessionEvent.Kind.CREATED, SessionEvent.Kind.DESTROYED);
				});
	}

	@Test
	void aNonPositiveTtlFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.session.ttl=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.session.ttl"));
	}

	@Test
	void theSpringSessionBridgeIsOffUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionRepository.class));
	}

	@Test
	void theSpringSessionBridgeWhenEnabledUsesTheSessionProperties() {
		this.runner
			.withPropertyValues("redis.starter.session.spring-session.enabled=true", "redis.starter.session.ttl=7m")
			.run((context) -> {
				assertThat(context).hasSingleBean(SpringSessionBridge.class).hasSingleBean(SessionService.class);
				SpringSessionBridge bridge = context.getBean(SpringSessionBridge.class);
				BridgedSession session = bridge.createSession();
				assertThat(session.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
				session.setAttribute("a", "b");
				bridge.save(session);
				assertThat(bridge.findById(session.getId()).<String>getAttribute("a")).isEqualTo("b");
			});
	}

	@Test
	void theSpringSessionBridgeBacksOffWithoutSpringSession() {
		this.runner.withPropertyValues("redis.starter.session.spring-session.enabled=true")
			.withClassLoader(new FilteredClassLoader(FindByIndexNameSessionRepository.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SpringSessionBridge.class));
	}

	@Test
	void theSpringSessionBridgeBacksOffForTheApplicationsOwnRepository() {
		this.runner.withPropertyValues("redis.starter.session.spring-session.enabled=true")
			.withBean(MapSessionRepository.class, () -> new MapSessionRepository(new java.util.HashMap<>()))
			.run((context) -> assertThat(context).hasSingleBean(SessionRepository.class)
				.doesNotHaveBean(SpringSessionBridge.class));
	}

	@Test
	void anAttributeCodecBeanReplacesTheStandardOne() {
		SessionAttributeCodec upperCase = new SessionAttributeCodec() {

			@Override
			public byte[] encode(String name, Object value) {
				return ("\"" + value.toString().toUpperCase(java.util.Locale.ROOT) + "\"").getBytes();
			}

			@Override
			public java.util.Optional<Object> decode(String key, byte[] encoded) {
				return java.util.Optional.of(new String(encoded).replace("\"", ""));
			}

		};
		this.runner.withPropertyValues("redis.starter.session.spring-session.enabled=true")
			.withBean(SessionAttributeCodec.class, () -> upperCase)
			.run((context) -> {
				SpringSessionBridge bridge = context.getBean(SpringSessionBridge.class);
				BridgedSession session = bridge.createSession();
				session.setAttribute("a", "quiet");
				bridge.save(session);
				assertThat(bridge.findById(session.getId()).<String>getAttribute("a")).isEqualTo("QUIET");
			});
	}

	@Test
	void anInvalidSerializableClassPatternFailsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("redis.starter.session.spring-session.enabled=true",
					"redis.starter.session.spring-session.serializable-classes=com.example.Cart,maxdepth=deep")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.session.spring-session.serializable-classes[1]"));
	}

	@Test
	void serializableClassPatternsReachTheStandardCodec() {
		this.runner
			.withPropertyValues("redis.starter.session.spring-session.enabled=true",
					"redis.starter.session.spring-session.serializable-classes=java.net.URI")
			.run((context) -> {
				SessionAttributeCodec codec = context.getBean(SessionAttributeCodec.class);
				// Outside the defaults: refused on write unless the property's pattern reached the codec.
				byte[] encoded = codec.encode("link", java.net.URI.create("https://example.com/"));
				assertThat(codec.decode("k", encoded)).contains(java.net.URI.create("https://example.com/"));
			});
	}

	@Test
	void aMisspelledSpringSessionSwitchFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.session.spring-session.enabled=ture")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.session.spring-session.enabled"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis.starter.session.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionService.class));
	}

}
