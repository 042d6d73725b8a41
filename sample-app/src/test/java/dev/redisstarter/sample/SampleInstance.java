package dev.redisstarter.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.redisstarter.test.RedisDeployment;

/** Another instance of the sample in the same JVM, on its own random port, sharing a Redis with the test's. */
final class SampleInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private SampleInstance(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts an instance.
	 * @param redis the Redis to use
	 * @param properties more properties, as {@code name=value}
	 * @return the running instance
	 */
	static SampleInstance start(RedisDeployment redis, String... properties) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		redis.springDataRedisProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new SampleInstance(new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new)));
	}

	int port() {
		return Integer.parseInt(this.context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	@Override
	public void close() {
		this.context.close();
	}

}
