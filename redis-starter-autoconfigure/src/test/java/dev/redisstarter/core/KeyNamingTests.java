package dev.redisstarter.core;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KeyNamingTests {

	private final KeyNaming keys = new KeyNaming("shop:");

	@Test
	void joinsPrefixFeatureAndParts() {
		assertThat(this.keys.key(Feature.LEADERBOARD, "global")).isEqualTo("shop:lb:global");
		assertThat(this.keys.key(Feature.CACHE, "products", "42")).isEqualTo("shop:cache:products:42");
		assertThat(new KeyNaming("").key(Feature.LOCK, "orders")).isEqualTo("lock:orders");
	}

	@Test
	void keysWithTheSameHashTagShareAClusterSlot() {
		String second = this.keys.hashTagged(Feature.RATE_LIMIT, "user-42", "second");
		String hour = this.keys.hashTagged(Feature.RATE_LIMIT, "user-42", "hour");
		assertThat(second).isEqualTo("shop:ratelimit:{user-42}:second");
		assertThat(SlotHash.getSlot(second)).isEqualTo(SlotHash.getSlot(hour)).isEqualTo(SlotHash.getSlot("user-42"));
	}

	@Test
	void aTemplateBuildsTheSameKeyAsHashTaggedForAnyTag() {
		KeyTemplate template = this.keys.template(Feature.RATE_LIMIT, "api", "tb:10:1000000");
		for (String tag : new String[] { "user-42", "é", "a%7Bb" }) {
			assertThat(new String(template.key(tag.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
					java.nio.charset.StandardCharsets.UTF_8))
				.isEqualTo(this.keys.hashTagged(Feature.RATE_LIMIT, tag, "api", "tb:10:1000000"));
		}
	}

	@Test
	void rejectsAPrefixThatWouldBreakHashTags() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KeyNaming("app{1}:")).withMessageContaining("'{'");
		assertThatIllegalArgumentException().isThrownBy(() -> new KeyNaming("my app:")).withMessageContaining("whitespace");
	}

	@Test
	void rejectsAnEmptyOrUnclosableHashTag() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.hashTagged(Feature.LOCK, ""));
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.hashTagged(Feature.LOCK, "a}b"));
	}

	@Test
	void scanPatternsEscapeGlobCharactersOfThePrefix() {
		assertThat(new KeyNaming("a*b?:").pattern(Feature.CACHE, "products:*")).isEqualTo("a\\*b\\?:cache:products:*");
	}

	@Test
	void decodeFailuresAreGroupedByKeyPattern() {
		assertThat(DecodeFailureReporter.keyPattern("shop:cache:products:42")).isEqualTo("shop:cache:products:*");
		assertThat(DecodeFailureReporter.keyPattern("shop:session:{abc}:data")).isEqualTo("shop:session:{*}:*");
	}

}
