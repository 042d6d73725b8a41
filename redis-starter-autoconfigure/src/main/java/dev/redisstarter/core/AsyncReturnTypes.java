package dev.redisstarter.core;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Recognises methods whose work goes on after they return ({@code CompletableFuture}, any {@code Future} or
 * {@code CompletionStage}, a Reactive Streams {@code Publisher} such as Reactor's {@code Mono} and {@code Flux}).
 * An annotation that acts when the method returns (release a lock, cache or evict the result) would act before
 * the work is done on such a method, so the starter refuses them at start-up.
 */
public final class AsyncReturnTypes {

	private static final @Nullable Class<?> PUBLISHER = load("org.reactivestreams.Publisher");

	private AsyncReturnTypes() {
	}

	/**
	 * Whether a method's result completes later.
	 * @param method the method
	 * @return true for futures, completion stages and publishers
	 */
	public static boolean isAsync(Method method) {
		Class<?> type = method.getReturnType();
		return Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
				|| (PUBLISHER != null && PUBLISHER.isAssignableFrom(type));
	}

	/**
	 * Refuses a method whose result completes later.
	 * @param method the method
	 * @param annotation the annotation, for the message, such as {@code @WithLock}
	 * @param acts what the annotation does when the method returns, such as "releases the lock"
	 * @throws IllegalArgumentException when the method is asynchronous
	 */
	public static void refuse(Method method, String annotation, String acts) {
		if (isAsync(method)) {
			throw new IllegalArgumentException(annotation + " " + acts + " when the method returns, but "
					+ method.getReturnType().getSimpleName() + " completes later: put " + annotation
					+ " on a method that does the work before it returns (and call it from the asynchronous one)");
		}
	}

	private static @Nullable Class<?> load(String name) {
		ClassLoader loader = AsyncReturnTypes.class.getClassLoader();
		return ClassUtils.isPresent(name, loader) ? ClassUtils.resolveClassName(name, loader) : null;
	}

}
