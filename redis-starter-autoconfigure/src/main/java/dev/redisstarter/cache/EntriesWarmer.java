package dev.redisstarter.cache;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/** A warmer whose entries are computed all at once: {@link #keys()} computes them, {@link #load} looks one up. */
final class EntriesWarmer<V> implements CacheWarmer {

	private final String cache;

	private final Supplier<? extends Map<String, ? extends V>> entries;

	private final Function<? super V, ? extends Collection<String>> tags;

	private volatile @Nullable Map<String, ? extends V> computed;

	EntriesWarmer(String cache, Supplier<? extends Map<String, ? extends V>> entries,
			Function<? super V, ? extends Collection<String>> tags) {
		this.cache = Objects.requireNonNull(cache, "cache must not be null");
		this.entries = entries;
		this.tags = tags;
	}

	@Override
	public String cache() {
		return this.cache;
	}

	@Override
	public Collection<String> keys() {
		Map<String, ? extends V> all = this.entries.get();
		this.computed = all;
		return all.keySet();
	}

	@Override
	public @Nullable Entry load(String key) {
		Map<String, ? extends V> all = this.computed;
		V value = (all != null) ? all.get(key) : null;
		return (value != null) ? new Entry(value, List.copyOf(this.tags.apply(value))) : null;
	}

}
