package dev.redisstarter.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** A URL with separate credentials, which Spring Boot ignores, is explained at start-up without the password. */
@ExtendWith(OutputCaptureExtension.class)
class UrlCredentialsCheckTests {

	@Test
	void aPasswordBesideAUrlWithoutCredentialsIsExplained(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.data.redis.url", "redis://cache:6379")
			.withProperty("spring.data.redis.password", "s3cret");
		assertThat(UrlCredentialsCheck.warnIfIgnored(environment))
			.contains("Spring Boot ignores spring.data.redis.password")
			.contains("no credentials at all")
			.contains("redis://user:password@host:port");
		assertThat(output).contains("WARN").contains("ignores spring.data.redis.password").doesNotContain("s3cret");
	}

	@Test
	void aUserAndPasswordBesideAUrlWithCredentialsNameTheUrlsUserOnly() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.data.redis.url", "rediss://app:url-secret@cache:6380")
			.withProperty("spring.data.redis.username", "other")
			.withProperty("spring.data.redis.password", "s3cret");
		assertThat(UrlCredentialsCheck.warnIfIgnored(environment))
			.contains("ignores spring.data.redis.username and spring.data.redis.password")
			.contains("the user 'app' and the password from the URL")
			.doesNotContain("url-secret")
			.doesNotContain("s3cret");
	}

	@Test
	void aUrlWhoseUserInfoHasNoColonCarriesAPasswordThatIsNotLogged(CapturedOutput output) {
		// Spring Boot reads redis://secret@host as the default user's password, not as a user name.
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.data.redis.url", "redis://url-secret@cache:6379")
			.withProperty("spring.data.redis.username", "app");
		assertThat(UrlCredentialsCheck.warnIfIgnored(environment)).contains("only the password from the URL")
			.doesNotContain("url-secret");
		assertThat(output).contains("ignores spring.data.redis.username").doesNotContain("url-secret");
	}

	@Test
	void separateCredentialsWithoutAUrlOrAUrlAloneAreFine() {
		assertThat(UrlCredentialsCheck.warnIfIgnored(new MockEnvironment()
			.withProperty("spring.data.redis.host", "cache")
			.withProperty("spring.data.redis.password", "s3cret"))).isNull();
		assertThat(UrlCredentialsCheck.warnIfIgnored(new MockEnvironment()
			.withProperty("spring.data.redis.url", "redis://:s3cret@cache:6379"))).isNull();
	}

}
