package dev.redisstarter.autoconfigure;

import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.context.ApplicationContext;

/** The operations of an Actuator endpoint as HTTP exposes them, for the starter's endpoint tests. */
public final class ActuatorOperations {

	private ActuatorOperations() {
	}

	/**
	 * The operations Actuator exposes over HTTP, after its access filter.
	 * @param context a web application context with Actuator's web endpoints
	 * @param endpointId the endpoint's id
	 * @return the operations by method and path, as in {@code "POST streams/{stream}/{deadLetterId}"}
	 */
	public static Map<String, WebOperation> of(ApplicationContext context, String endpointId) {
		ExposableWebEndpoint endpoint = context.getBean(WebEndpointDiscoverer.class)
			.getEndpoints()
			.stream()
			.filter((candidate) -> candidate.getEndpointId().toString().equals(endpointId))
			.findFirst()
			.orElseThrow();
		return endpoint.getOperations()
			.stream()
			.collect(Collectors.toMap((operation) -> operation.getRequestPredicate().getHttpMethod() + " "
					+ operation.getRequestPredicate().getPath(), (operation) -> operation));
	}

	/**
	 * An anonymous invocation.
	 * @param arguments the operation's arguments (its selectors) by name
	 * @return the invocation context
	 */
	public static InvocationContext invocation(Map<String, ? extends @Nullable Object> arguments) {
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> values = (Map<String, @Nullable Object>) arguments;
		return new InvocationContext(SecurityContext.NONE, values);
	}

}
