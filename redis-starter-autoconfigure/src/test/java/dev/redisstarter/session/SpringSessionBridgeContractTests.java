package dev.redisstarter.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The peer suite: what Spring Session's {@code RedisIndexedSessionRepositoryITests} checks of its repository
 * (attributes saved, loaded and removed; the principal index through the index attribute and through Spring
 * Security's context, unchanged, removed and changed, with and without reloading; changeSessionId once, twice,
 * before the first save, on a deleted session, concurrently; events), run against the bridge, plus what our
 * sessions promise beyond it (expiry, limits, bounds). Where the bridge differs by design the test says so and
 * docs/sessions.md lists it. Run against each topology by a subclass.
 */
abstract class SpringSessionBridgeContractTests {

	static final KeyNaming KEYS = new KeyNaming("ssbridge:");

	static final String INDEX_NAME = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

	static final String SECURITY_CONTEXT = "SPRING_SECURITY_CONTEXT";

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	final List<AbstractSessionEvent> events = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	abstract RedisDeployment deployment();

	@AfterEach
	void close() {
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	private LettuceConnectionFactory factory() {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		return factory;
	}

	SpringSessionBridge bridge(SessionSettings settings) {
		return bridge(settings, KEYS);
	}

	SpringSessionBridge bridge(SessionSettings settings, KeyNaming keys) {
		JsonCodec json = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters));
		return new SpringSessionBridge(RedisAccess.of(factory()).calls(Feature.SESSION, Duration.ofSeconds(2)), keys,
				settings, SessionAttributeCodec.standard(json, new DecodeFailureReporter(this.meters), null),
				new SessionMetrics(this.meters), (event) -> {
					if (event instanceof AbstractSessionEvent sessionEvent) {
						this.events.add(sessionEvent);
					}
				});
	}

	private SpringSessionBridge bridge() {
		return bridge(SessionSettings.DEFAULTS);
	}

	StringRedisTemplate redis() {
		return new StringRedisTemplate(factory());
	}

	static String indexKey(String principal) {
		return KEYS.hashTagged(Feature.SESSION, SessionIds.tag(principal), "u", principal);
	}

	static String sessionKey(String id) {
		return KEYS.hashTagged(Feature.SESSION, SessionIds.tagOf(id), "s", id);
	}

	static SecurityContext context(String name) {
		return new SecurityContextImpl(new UsernamePasswordAuthenticationToken(name, "na",
				AuthorityUtils.createAuthorityList("ROLE_USER")));
	}

	static String unique(String name) {
		return name + "-" + UUID.randomUUID();
	}

	private Set<String> indexed(String principal) {
		return redis().opsForZSet().range(indexKey(principal), 0, -1);
	}

	// Spring Session's "saves"

	@Test
	void savesLoadsAndDeletesASessionWithItsPrincipalIndexAndEvents() {
		SpringSessionBridge bridge = bridge();
		String username = unique("saves");
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("a", "b");
		toSave.setAttribute(SECURITY_CONTEXT, context(username));
		toSave.setAttribute(INDEX_NAME, username);
		bridge.save(toSave);
		assertThat(this.events).singleElement().isInstanceOf(SessionCreatedEvent.class)
			.extracting(AbstractSessionEvent::getSessionId).isEqualTo(toSave.getId());
		assertThat(indexed(username)).containsExactly(toSave.getId());

		BridgedSession found = bridge.findById(toSave.getId());
		assertThat(found.getId()).isEqualTo(toSave.getId());
		assertThat(found.getAttributeNames()).isEqualTo(toSave.getAttributeNames());
		assertThat(found.<String>getAttribute("a")).isEqualTo("b");
		this.events.clear();

		bridge.deleteById(toSave.getId());
		assertThat(bridge.findById(toSave.getId())).isNull();
		assertThat(this.events).singleElement().isInstanceOf(SessionDeletedEvent.class)
			.satisfies((event) -> assertThat(event.getSession().<String>getAttribute("a")).isEqualTo("b"));
		assertThat(indexed(username)).doesNotContain(toSave.getId());
	}

	@Test
	void aRemovedAttributeLeavesNoFieldBehind() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("a", "b");
		bridge.save(toSave);
		toSave.removeAttribute("a");
		bridge.save(toSave);
		assertThat(redis().opsForHash().keys(sessionKey(toSave.getId()))).isNotEmpty().doesNotContain("a:a");
		assertThat(bridge.findById(toSave.getId()).getAttributeNames()).isEmpty();
	}

	@Test
	void settingOneAttributeKeepsTheOthers() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("a", "b");
		bridge.save(toSave);
		toSave = bridge.findById(toSave.getId());
		toSave.setAttribute("1", "2");
		bridge.save(toSave);
		BridgedSession session = bridge.findById(toSave.getId());
		assertThat(session.getAttributeNames()).containsExactlyInAnyOrder("a", "1");
		assertThat(session.<String>getAttribute("a")).isEqualTo("b");
		assertThat(session.<String>getAttribute("1")).isEqualTo("2");
	}

	@Test
	void attributeValuesReadBackAsTheirOwnTypes() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("string", "text");
		toSave.setAttribute("flag", true);
		toSave.setAttribute("long", 42L);
		toSave.setAttribute("int", 7);
		toSave.setAttribute("list", new ArrayList<>(List.of("x", 1)));
		toSave.setAttribute(SECURITY_CONTEXT, context("ann"));
		bridge.save(toSave);
		BridgedSession found = bridge.findById(toSave.getId());
		assertThat(found.<Object>getAttribute("string")).isEqualTo("text");
		assertThat(found.<Object>getAttribute("flag")).isEqualTo(Boolean.TRUE);
		assertThat(found.<Object>getAttribute("long")).isEqualTo(42L);
		assertThat(found.<Object>getAttribute("int")).isEqualTo(7);
		assertThat(found.<Object>getAttribute("list")).isEqualTo(List.of("x", 1));
		assertThat(found.<SecurityContext>getAttribute(SECURITY_CONTEXT).getAuthentication().getName()).isEqualTo("ann");
		// Strings stay readable with redis-cli; other values are JSON too, around their Java serialization.
		assertThat(redis().opsForHash().get(sessionKey(found.getId()), "a:string")).isEqualTo("\"text\"");
		assertThat((String) redis().opsForHash().get(sessionKey(found.getId()), "a:long"))
			.startsWith("{\"@java-serialized\":\"");
	}

	@Test
	void aValueThatNoLongerDeserializesReadsAsAbsentAndIsCounted() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("kept", "yes");
		bridge.save(toSave);
		redis().opsForHash().put(sessionKey(toSave.getId()), "a:gone", "{\"@java-serialized\":\"rO0ABXNyAAdNaXNzaW5n\"}");
		BridgedSession found = bridge.findById(toSave.getId());
		assertThat(found.<Object>getAttribute("gone")).isNull();
		assertThat(found.<String>getAttribute("kept")).isEqualTo("yes");
		assertThat(this.meters.find("redis.starter.codec.decode.failures").counter().count()).isEqualTo(1);
	}

	@Test
	void aLoginThatCannotBeWrittenFailsWithTheAnonymousSessionStillThere() {
		SpringSessionBridge bridge = bridge(SessionSettings.DEFAULTS.withBounds(2048, 256));
		BridgedSession anonymous = bridge.createSession();
		anonymous.setAttribute("cart", "3 items");
		bridge.save(anonymous);
		String principal = unique("unwritable-login");

		BridgedSession notSerializable = bridge.findById(anonymous.getId());
		notSerializable.changeSessionId();
		notSerializable.setAttribute(SECURITY_CONTEXT, context(principal));
		notSerializable.setAttribute("thread", new Object());
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> bridge.save(notSerializable));
		BridgedSession tooLarge = bridge.findById(anonymous.getId());
		tooLarge.changeSessionId();
		tooLarge.setAttribute(SECURITY_CONTEXT, context(principal));
		tooLarge.setAttribute("big", "y".repeat(3000));
		assertThatExceptionOfType(InputLimitExceededException.class).isThrownBy(() -> bridge.save(tooLarge));

		// The login moves the session to its principal's slot; failing before that leaves it as it was.
		assertThat(bridge.findById(anonymous.getId()).<String>getAttribute("cart")).isEqualTo("3 items");
		assertThat(bridge.findByPrincipalName(principal)).isEmpty();
	}

	@Test
	void principalNamesWithBracesAndOddAttributeNamesKeepTheSessionInItsPrincipalsSlot() {
		SpringSessionBridge bridge = bridge(SessionSettings.DEFAULTS.withLimit(1, SessionSettings.LimitPolicy.EVICT_OLDEST));
		// Braces decide a key's Cluster slot: a principal's own must not replace the tag the starter puts first.
		String principal = "{" + unique("braces") + "}:u:{x}";
		BridgedSession first = bridge.createSession();
		first.setAttribute(SECURITY_CONTEXT, context(principal));
		bridge.save(first);
		BridgedSession second = bridge.createSession();
		List<String> names = List.of("a:b", "{tag}", "with space", "line\nbreak", "ünïcødé", "user", "created");
		names.forEach((name) -> second.setAttribute(name, "v-" + name));
		second.setAttribute(SECURITY_CONTEXT, context(principal));
		bridge.save(second);

		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(second.getId());
		assertThat(bridge.findById(first.getId())).isNull();
		BridgedSession found = bridge.findById(second.getId());
		names.forEach((name) -> assertThat(found.<String>getAttribute(name)).isEqualTo("v-" + name));
		assertThat(found.getAttributeNames()).containsAll(names);
		bridge.deleteById(second.getId());
		assertThat(bridge.findByPrincipalName(principal)).isEmpty();
	}

	@Test
	void aValueThatIsNotSerializableIsRefusedNamingTheAttribute() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("thread", new Object());
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> bridge.save(toSave))
			.withMessageContaining("'thread'");
		assertThat(bridge.findById(toSave.getId())).isNull();
	}

	// Spring Session's findByPrincipalName family, through the index attribute and through the security context

	@Test
	void findsByPrincipalNameUntilDeleted() {
		SpringSessionBridge bridge = bridge();
		String principal = unique("findByPrincipalName");
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute(INDEX_NAME, principal);
		bridge.save(toSave);
		assertThat(bridge.findByIndexNameAndIndexValue(INDEX_NAME, principal)).containsOnlyKeys(toSave.getId());
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(toSave.getId());
		bridge.deleteById(toSave.getId());
		assertThat(this.events).hasSize(2);
		assertThat(bridge.findByIndexNameAndIndexValue(INDEX_NAME, principal)).isEmpty();
	}

	@Test
	void findsBySecurityContextPrincipalUntilDeleted() {
		SpringSessionBridge bridge = bridge();
		String principal = unique("findBySecurityPrincipalName");
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute(SECURITY_CONTEXT, context(principal));
		bridge.save(toSave);
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(toSave.getId());
		bridge.deleteById(toSave.getId());
		assertThat(bridge.findByPrincipalName(principal)).isEmpty();
	}

	@Test
	void otherChangesKeepThePrincipalIndexWithAndWithoutReload() {
		SpringSessionBridge bridge = bridge();
		for (String attribute : List.of(INDEX_NAME, SECURITY_CONTEXT)) {
			for (boolean reload : List.of(false, true)) {
				String principal = unique("noChange");
				BridgedSession toSave = bridge.createSession();
				toSave.setAttribute(attribute, attribute.equals(INDEX_NAME) ? principal : context(principal));
				bridge.save(toSave);
				BridgedSession again = reload ? bridge.findById(toSave.getId()) : toSave;
				again.setAttribute("other", "value");
				bridge.save(again);
				assertThat(bridge.findByPrincipalName(principal)).as(attribute + ", reload " + reload)
					.containsOnlyKeys(toSave.getId());
			}
		}
	}

	@Test
	void aRemovedPrincipalIsNoLongerFoundWithAndWithoutReload() {
		SpringSessionBridge bridge = bridge();
		for (String attribute : List.of(INDEX_NAME, SECURITY_CONTEXT)) {
			for (boolean reload : List.of(false, true)) {
				String principal = unique("deleted");
				BridgedSession toSave = bridge.createSession();
				toSave.setAttribute(attribute, attribute.equals(INDEX_NAME) ? principal : context(principal));
				bridge.save(toSave);
				BridgedSession again = reload ? bridge.findById(toSave.getId()) : toSave;
				again.setAttribute(attribute, null);
				bridge.save(again);
				assertThat(bridge.findByPrincipalName(principal)).as(attribute + ", reload " + reload).isEmpty();
				assertThat(redis().hasKey(indexKey(principal))).isFalse();
				// The session lives on, anonymous.
				assertThat(bridge.findById(again.getId())).isNotNull();
			}
		}
	}

	@Test
	void aChangedPrincipalIsFoundUnderItsNewNameOnlyWithAndWithoutReload() {
		SpringSessionBridge bridge = bridge();
		for (String attribute : List.of(INDEX_NAME, SECURITY_CONTEXT)) {
			for (boolean reload : List.of(false, true)) {
				String principal = unique("changed");
				String changed = unique("changedTo");
				BridgedSession toSave = bridge.createSession();
				toSave.setAttribute("kept", "yes");
				toSave.setAttribute(attribute, attribute.equals(INDEX_NAME) ? principal : context(principal));
				bridge.save(toSave);
				String before = toSave.getId();
				BridgedSession again = reload ? bridge.findById(toSave.getId()) : toSave;
				again.setAttribute(attribute, attribute.equals(INDEX_NAME) ? changed : context(changed));
				bridge.save(again);
				assertThat(bridge.findByPrincipalName(principal)).as(attribute + ", reload " + reload).isEmpty();
				assertThat(bridge.findByPrincipalName(changed)).containsOnlyKeys(again.getId());
				// Differs by design: the session moved to the new principal's slot under a new id.
				assertThat(again.getId()).isNotEqualTo(before);
				assertThat(bridge.findById(before)).isNull();
				assertThat(bridge.findById(again.getId()).<String>getAttribute("kept")).isEqualTo("yes");
			}
		}
	}

	@Test
	void anotherIndexNameFindsNothing() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("tenant", "acme");
		bridge.save(toSave);
		assertThat(bridge.findByIndexNameAndIndexValue("tenant", "acme")).isEmpty();
	}

	@Test
	void anAnonymousSessionIsInNoIndex() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		bridge.save(toSave);
		String tag = SessionIds.tagOf(toSave.getId());
		assertThat(redis().hasKey(KEYS.hashTagged(Feature.SESSION, tag, "u", ""))).isFalse();
		assertThat(redis().opsForHash().get(sessionKey(toSave.getId()), "user")).isEqualTo("");
	}

	// Spring Session's changeSessionId family

	@Test
	void aChangedIdKeepsTheAttributesAndTheOldIdStopsWorking() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("changeSessionId", "value");
		bridge.save(toSave);
		BridgedSession found = bridge.findById(toSave.getId());
		String original = found.getId();
		String changed = found.changeSessionId();
		bridge.save(found);
		assertThat(bridge.findById(original)).isNull();
		assertThat(bridge.findById(changed).<String>getAttribute("changeSessionId")).isEqualTo("value");
	}

	@Test
	void aChangedIdKeepsThePrincipalIndexAndTheAbsoluteDeadline() {
		SpringSessionBridge bridge = bridge();
		String principal = unique("rotate");
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute(SECURITY_CONTEXT, context(principal));
		bridge.save(toSave);
		BridgedSession found = bridge.findById(toSave.getId());
		String original = found.getId();
		String changed = found.changeSessionId();
		bridge.save(found);
		assertThat(changed).isNotEqualTo(original);
		assertThat(indexed(principal)).containsExactly(changed);
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(changed);
		BridgedSession reread = bridge.findById(changed);
		assertThat(reread.getCreationTime()).isEqualTo(toSave.getCreationTime());
		assertThat(reread.getAbsoluteDeadline()).isEqualTo(toSave.getAbsoluteDeadline());
		assertThat(reread.<SecurityContext>getAttribute(SECURITY_CONTEXT).getAuthentication().getName())
			.isEqualTo(principal);
	}

	@Test
	void anIdChangedTwiceBeforeASaveKeepsOnlyTheLast() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		bridge.save(toSave);
		String original = toSave.getId();
		String first = toSave.changeSessionId();
		String second = toSave.changeSessionId();
		bridge.save(toSave);
		assertThat(bridge.findById(original)).isNull();
		assertThat(bridge.findById(first)).isNull();
		assertThat(bridge.findById(second)).isNotNull();
	}

	@Test
	void anAttributeSetTogetherWithAnIdChangeIsSaved() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		bridge.save(toSave);
		BridgedSession found = bridge.findById(toSave.getId());
		found.setAttribute("changeSessionId", "value");
		String original = found.getId();
		String changed = found.changeSessionId();
		bridge.save(found);
		assertThat(bridge.findById(original)).isNull();
		assertThat(bridge.findById(changed).<String>getAttribute("changeSessionId")).isEqualTo("value");
	}

	@Test
	void anIdChangedBeforeTheFirstSaveIsTheOneSavedAndSavingTwiceChangesNothing() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		String original = toSave.getId();
		toSave.changeSessionId();
		bridge.save(toSave);
		bridge.save(toSave);
		assertThat(bridge.findById(toSave.getId())).isNotNull();
		assertThat(bridge.findById(original)).isNull();
	}

	@Test
	void aDeletedSessionIsNotBroughtBackByAnIdChangeOrASave() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		String id = toSave.getId();
		bridge.save(toSave);
		bridge.deleteById(id);
		toSave.changeSessionId();
		bridge.save(toSave);
		assertThat(bridge.findById(toSave.getId())).isNull();
		assertThat(bridge.findById(id)).isNull();
		// Differs by design: a stale copy's save does not recreate the session either.
		BridgedSession other = bridge.createSession();
		bridge.save(other);
		BridgedSession stale = bridge.findById(other.getId());
		bridge.deleteById(other.getId());
		stale.setAttribute("late", "write");
		bridge.save(stale);
		assertThat(bridge.findById(other.getId())).isNull();
		assertThat(redis().hasKey(sessionKey(other.getId()))).isFalse();
	}

	@Test
	void ofTwoConcurrentIdChangesOnlyTheFirstWins() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		String original = toSave.getId();
		bridge.save(toSave);
		BridgedSession copy1 = bridge.findById(original);
		BridgedSession copy2 = bridge.findById(original);
		copy1.changeSessionId();
		bridge.save(copy1);
		copy2.changeSessionId();
		bridge.save(copy2);
		assertThat(bridge.findById(original)).isNull();
		assertThat(bridge.findById(copy1.getId())).isNotNull();
		assertThat(bridge.findById(copy2.getId())).isNull();
	}

	// Events

	@Test
	void onlyTheFirstSaveAnnouncesACreatedSession() {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		bridge.save(toSave);
		toSave.setAttribute("a", "b");
		bridge.save(toSave);
		toSave.changeSessionId();
		bridge.save(toSave);
		assertThat(this.events).singleElement().isInstanceOf(SessionCreatedEvent.class);
		bridge.deleteById(toSave.getId());
		bridge.deleteById(toSave.getId());
		assertThat(this.events).hasSize(2).last().isInstanceOf(SessionDeletedEvent.class);
	}

	// Expiry: idle (max inactive interval, sliding) and absolute

	@Test
	void aSessionIdleForItsMaxInactiveIntervalEndsAndLeavesItsPrincipalIndex() throws InterruptedException {
		SpringSessionBridge bridge = bridge();
		String principal = unique("idle");
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute(INDEX_NAME, principal);
		toSave.setMaxInactiveInterval(Duration.ofMillis(300));
		bridge.save(toSave);
		assertThat(bridge.findById(toSave.getId()).getMaxInactiveInterval()).isEqualTo(Duration.ofMillis(300));
		assertThat(redis().getExpire(sessionKey(toSave.getId()), java.util.concurrent.TimeUnit.MILLISECONDS))
			.isBetween(1L, 300L);
		Thread.sleep(450);
		assertThat(bridge.findById(toSave.getId())).isNull();
		assertThat(bridge.findByPrincipalName(principal)).isEmpty();
		assertThat(redis().opsForZSet().zCard(indexKey(principal))).isZero();
	}

	@Test
	void useSlidesTheIdleExpiry() throws InterruptedException {
		SpringSessionBridge bridge = bridge();
		BridgedSession toSave = bridge.createSession();
		toSave.setMaxInactiveInterval(Duration.ofMillis(600));
		bridge.save(toSave);
		// 4 x 250 ms: well past 600 ms in all, yet never 600 ms without use.
		for (int i = 0; i < 4; i++) {
			Thread.sleep(250);
			BridgedSession found = bridge.findById(toSave.getId());
			assertThat(found).as("read %d", i).isNotNull();
			found.setLastAccessedTime(java.time.Instant.now());
			bridge.save(found);
		}
	}

	@Test
	void aBusySessionStillEndsAtItsAbsoluteDeadline() throws InterruptedException {
		SpringSessionBridge bridge = bridge(
				SessionSettings.DEFAULTS.withExpiry(Duration.ofSeconds(10), Duration.ofMillis(1000)));
		String principal = unique("absolute");
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute(INDEX_NAME, principal);
		toSave.setMaxInactiveInterval(Duration.ofSeconds(-1));
		bridge.save(toSave);
		long start = System.nanoTime();
		while (System.nanoTime() - start < Duration.ofMillis(600).toNanos()) {
			BridgedSession found = bridge.findById(toSave.getId());
			assertThat(found).isNotNull();
			found.setLastAccessedTime(java.time.Instant.now());
			bridge.save(found);
			Thread.sleep(50);
		}
		Thread.sleep(500);
		assertThat(bridge.findById(toSave.getId())).isNull();
		assertThat(bridge.findByPrincipalName(principal)).isEmpty();
	}

	// Our limits

	@Test
	void beyondMaxPerUserTheOldestSessionIsEvictedAndAnnounced() {
		SpringSessionBridge bridge = bridge(SessionSettings.DEFAULTS.withLimit(2, SessionSettings.LimitPolicy.EVICT_OLDEST));
		String principal = unique("limit");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			BridgedSession session = bridge.createSession();
			session.setAttribute(SECURITY_CONTEXT, context(principal));
			bridge.save(session);
			ids.add(session.getId());
		}
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(ids.get(1), ids.get(2));
		assertThat(bridge.findById(ids.get(0))).isNull();
		assertThat(this.events).filteredOn(SessionDeletedEvent.class::isInstance)
			.extracting(AbstractSessionEvent::getSessionId).containsExactly(ids.get(0));
	}

	@Test
	void beyondMaxPerUserTheOldestLoginIsEvictedNotTheSessionCreatedFirst() {
		SpringSessionBridge bridge = bridge(SessionSettings.DEFAULTS.withLimit(2, SessionSettings.LimitPolicy.EVICT_OLDEST));
		String principal = unique("oldest-login");
		// Browsed anonymously first (CSRF token, cart), logs in only after two other logins.
		BridgedSession browsing = bridge.createSession();
		browsing.setAttribute("cart", "3 items");
		bridge.save(browsing);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			BridgedSession session = bridge.createSession();
			session.setAttribute(SECURITY_CONTEXT, context(principal));
			bridge.save(session);
			ids.add(session.getId());
		}
		BridgedSession loggedIn = bridge.findById(browsing.getId());
		loggedIn.changeSessionId();
		loggedIn.setAttribute(SECURITY_CONTEXT, context(principal));
		bridge.save(loggedIn);
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(ids.get(1), loggedIn.getId());

		BridgedSession latest = bridge.createSession();
		latest.setAttribute(SECURITY_CONTEXT, context(principal));
		bridge.save(latest);
		// The login before last stays: the oldest login goes, whenever its session was first created.
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(loggedIn.getId(), latest.getId());
	}

	@Test
	void beyondMaxPerUserWithRefuseTheSaveFailsAndWritesNothing() {
		SpringSessionBridge bridge = bridge(SessionSettings.DEFAULTS.withLimit(1, SessionSettings.LimitPolicy.REFUSE));
		String principal = unique("refuse");
		BridgedSession first = bridge.createSession();
		first.setAttribute(INDEX_NAME, principal);
		bridge.save(first);
		BridgedSession second = bridge.createSession();
		second.setAttribute(INDEX_NAME, principal);
		assertThatExceptionOfType(SessionLimitExceededException.class).isThrownBy(() -> bridge.save(second));
		assertThat(bridge.findByPrincipalName(principal)).containsOnlyKeys(first.getId());
		assertThat(bridge.findById(second.getId())).isNull();
	}

	@Test
	void attributesOverMaxSizeAreRefusedAndNothingIsWritten() {
		SpringSessionBridge bridge = bridge(SessionSettings.DEFAULTS.withBounds(1024, 256));
		BridgedSession toSave = bridge.createSession();
		toSave.setAttribute("small", "x");
		bridge.save(toSave);
		toSave.setAttribute("big", "y".repeat(2000));
		assertThatExceptionOfType(InputLimitExceededException.class).isThrownBy(() -> bridge.save(toSave))
			.withMessageContaining("redis.starter.session.max-size");
		assertThat(bridge.findById(toSave.getId()).getAttributeNames()).containsExactly("small");
	}

	@Test
	void aSessionOfTheSessionServiceReadsThroughTheBridge() {
		JsonCodec json = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters));
		SessionService service = new RedisSessionService(factory(), KEYS, json, SessionSettings.DEFAULTS,
				new SessionMetrics(this.meters), null);
		String user = unique("service");
		Session created = service.create(user, Map.of("theme", "dark", "count", 3));
		SpringSessionBridge bridge = bridge();
		BridgedSession found = bridge.findById(created.id());
		assertThat(found.<String>getAttribute("theme")).isEqualTo("dark");
		assertThat(found.<Object>getAttribute("count")).isEqualTo(3);
		assertThat(found.getStoredPrincipal()).isEqualTo(user);
		assertThat(bridge.findByPrincipalName(user)).containsOnlyKeys(created.id());
		found.setAttribute("theme", "light");
		bridge.save(found);
		assertThat(service.get(created.id()).orElseThrow().attribute("theme", String.class)).contains("light");
		// "Log out everywhere" through the service ends the principal's bridge sessions too.
		BridgedSession http = bridge.createSession();
		http.setAttribute(SECURITY_CONTEXT, context(user));
		bridge.save(http);
		assertThat(service.listForUser(user)).extracting(Session::id).containsExactlyInAnyOrder(created.id(), http.getId());
		assertThat(service.destroyAllForUser(user)).isEqualTo(2);
		assertThat(bridge.findById(http.getId())).isNull();
		assertThat(bridge.findByPrincipalName(user)).isEmpty();
	}

	@Test
	void anAnonymousSessionRotatedThroughTheSessionServiceEntersNoIndex() {
		JsonCodec json = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters));
		SessionService service = new RedisSessionService(factory(), KEYS, json, SessionSettings.DEFAULTS,
				new SessionMetrics(this.meters), null);
		SpringSessionBridge bridge = bridge();
		BridgedSession anonymous = bridge.createSession();
		anonymous.setAttribute("cart", "3 items");
		bridge.save(anonymous);

		Session rotated = service.rotate(anonymous.getId());
		assertThat(bridge.findById(rotated.id()).<String>getAttribute("cart")).isEqualTo("3 items");
		// An index of the principal '' would never expire: nothing sets its expiry, nothing prunes it.
		String tag = SessionIds.tagOf(rotated.id());
		assertThat(redis().hasKey(KEYS.hashTagged(Feature.SESSION, tag, "u", ""))).isFalse();
	}

	// The index never leaks

	@Test
	void thePrincipalIndexStaysBoundedUnderTenThousandLoginsAndExpiries() throws Exception {
		KeyNaming keys = new KeyNaming(unique("ssbound") + ":");
		SessionSettings settings = SessionSettings.DEFAULTS.withExpiry(Duration.ofMillis(100), Duration.ofMillis(2000));
		List<String> users = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			users.add("user-" + i);
		}
		List<SecurityContext> contexts = users.stream().map(SpringSessionBridgeContractTests::context).toList();
		int threads = 4;
		int loginsPerThread = 2_500;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			List<java.util.concurrent.Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				SpringSessionBridge bridge = bridge(settings, keys);
				int offset = t;
				done.add(pool.submit(() -> {
					for (int i = 0; i < loginsPerThread; i++) {
						BridgedSession session = bridge.createSession();
						session.setAttribute(SECURITY_CONTEXT, contexts.get((i * threads + offset) % contexts.size()));
						bridge.save(session);
						if (i % 10 == 0) {
							bridge.deleteById(session.getId());
						}
					}
					return null;
				}));
			}
			for (java.util.concurrent.Future<?> future : done) {
				future.get(60, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		StringRedisTemplate redis = redis();
		java.util.function.Function<String, String> index = (user) -> keys.hashTagged(Feature.SESSION,
				SessionIds.tag(user), "u", user);
		// 200 logins per user went through each index; it holds only those not yet found ended.
		long largest = users.stream().mapToLong((user) -> redis.opsForZSet().zCard(index.apply(user))).max().orElseThrow();
		assertThat(largest).isLessThan(50);
		Thread.sleep(250);
		SpringSessionBridge bridge = bridge(settings, keys);
		for (int i = 0; i < users.size(); i++) {
			BridgedSession session = bridge.createSession();
			session.setAttribute(SECURITY_CONTEXT, contexts.get(i));
			bridge.save(session);
		}
		// Every ended session is pruned as soon as a session enters the index.
		assertThat(users).allSatisfy((user) -> assertThat(redis.opsForZSet().zCard(index.apply(user))).isEqualTo(1));
		// And every index ends with its longest-lived session: nothing outlives the absolute lifetime.
		Thread.sleep(2300);
		assertThat(users).allSatisfy((user) -> assertThat(redis.hasKey(index.apply(user))).isFalse());
	}

}
