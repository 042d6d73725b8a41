package dev.redisstarter.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** How refused notices are recorded and logged, without Redis: the bookkeeping alone. */
@ExtendWith(OutputCaptureExtension.class)
class PermissionRefusalsTests {

	@Test
	void aNoticeRefusedAndSentInTurnIsLoggedOnceAndClearedEachTimeItIsSent(CapturedOutput output) {
		// A Cluster whose nodes were not all changed: the same notice is refused by one node and sent by another.
		PermissionRefusals refusals = new PermissionRefusals("shop:");
		for (int i = 0; i < 20; i++) {
			refusals.noticeRefused("lock release notices", "shop:lock:released", "NOPERM no permissions",
					"waiters poll");
			assertThat(refusals.current()).extracting(PermissionRefusals.Refusal::what)
				.containsExactly("publishing lock release notices");
			refusals.noticeSent("lock release notices");
			assertThat(refusals.current()).as("sent: the refusal is over").isEmpty();
		}
		assertThat(output.toString().split("Redis refused the starter's lock release notices", -1))
			.as("logged once, not 20 times").hasSize(2);
		assertThat(output.toString().split("Redis allows the publishing lock release notices again", -1))
			.as("at most once, after the logged refusal").hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void anotherKindOfNoticeBeingSentDoesNotClearARefusal() {
		PermissionRefusals refusals = new PermissionRefusals("shop:");
		refusals.noticeRefused("cache invalidation notices", "shop:cache:invalidations", "NOPERM", "TTL bounds it");
		refusals.noticeSent("lock release notices");
		assertThat(refusals.current()).extracting(PermissionRefusals.Refusal::what)
			.containsExactly("publishing cache invalidation notices");
	}

	@Test
	void aRefusalPointsToThePageThatListsTheAclRule(CapturedOutput output) {
		// The README no longer has a Security section: the rule moved to docs/security.md with the docs split.
		new PermissionRefusals("shop:").noticeRefused("lock release notices", "shop:lock:released", "NOPERM", "waiters poll");
		assertThat(output.toString()).contains("Redis refused the starter's lock release notices")
			.doesNotContain("README's Security section")
			.contains("docs/security.md");
	}

}
