package dev.redisstarter.autoconfigure;

import java.util.function.BiFunction;

import org.springframework.beans.factory.ObjectProvider;

/** Applies the {@code ...Customizer} beans of one kind, in order, to the settings the auto-configuration built. */
final class Customizers {

	private Customizers() {
	}

	static <S, C> S apply(S settings, ObjectProvider<C> customizers, BiFunction<C, S, S> customize) {
		S current = settings;
		for (C customizer : customizers.orderedStream().toList()) {
			S next = customize.apply(customizer, current);
			if (next == null) {
				throw new IllegalStateException(customizer.getClass().getName() + " returned null instead of the "
						+ settings.getClass().getSimpleName() + " to use");
			}
			current = next;
		}
		return current;
	}

}
