package dev.redisstarter.sample.events;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event relay, with its limits from {@code sample.events.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventsProperties.class)
class EventsConfiguration {

	@Bean
	EventRelay eventRelay(EventsProperties properties, ObjectProvider<MeterRegistry> meterRegistry) {
		return new EventRelay(properties, meterRegistry.getIfUnique());
	}

}
