package dev.redisstarter.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that uses every capability of the Redis Starter. Run it with
 * {@code ./mvnw -pl sample-app -am spring-boot:run}; with no Redis configured it starts its own.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
