package dev.redisstarter.cache;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

/**
 * Types recorded in entries, for the Spring Cache bridge: Spring's {@code Cache.get(key)} does not say what it
 * reads. A value's type is recorded as Jackson's canonical name, element types included for lists, sets and
 * maps whose elements share one class ({@code java.util.List<com.example.Book>}). A recorded type is read only
 * when every class it names is allowed (the classes of {@code java.lang}, {@code java.util}, {@code java.time} and
 * {@code java.math} themselves, or anything under an allowed package), so that whoever can write to Redis cannot
 * make the application build arbitrary classes.
 */
final class DescribedValueType implements ValueType {

	private static final Log logger = LogFactory.getLog(DescribedValueType.class);

	private static final Set<String> JDK_PACKAGES = Set.of("java.lang", "java.util", "java.time", "java.math");

	private final TypeFactory types;

	private final List<String> allowedPackages;

	/**
	 * Types recorded and read back.
	 * @param types the codec's type factory
	 * @param allowedPackages packages (with their subpackages) whose classes may be read back
	 */
	DescribedValueType(TypeFactory types, List<String> allowedPackages) {
		this.types = types;
		this.allowedPackages = allowedPackages.stream().map((name) -> name.endsWith(".") ? name : name + ".").toList();
	}

	@Override
	public @Nullable JavaType readAs(CacheEntry entry) {
		String recorded = entry.type();
		if (recorded == null) {
			return null;
		}
		try {
			JavaType type = this.types.constructFromCanonical(recorded);
			if (allowed(type)) {
				return type;
			}
			logger.warn("A cached value of type " + recorded + " is not read back: add its package to "
					+ "redis.starter.cache.spring-cache.allowed-packages if it is yours");
		}
		catch (IllegalArgumentException ex) {
			logger.warn("A cached value has an unknown type " + recorded + ": " + ex.getMessage());
		}
		return null;
	}

	@Override
	public String describe(Object value) {
		return typeOf(value).toCanonical();
	}

	private JavaType typeOf(Object value) {
		if (value instanceof List<?> list) {
			return this.types.constructCollectionType(List.class, commonClass(list));
		}
		if (value instanceof Set<?> set) {
			return this.types.constructCollectionType(Set.class, commonClass(set));
		}
		if (value instanceof Map<?, ?> map) {
			return this.types.constructMapType(Map.class, commonClass(map.keySet()), commonClass(map.values()));
		}
		return this.types.constructType(value.getClass());
	}

	/** The one class all elements share, else {@code Object} (read back as JSON's natural types). */
	private static Class<?> commonClass(Collection<?> elements) {
		Iterator<?> each = elements.iterator();
		if (!each.hasNext()) {
			return Object.class;
		}
		Object first = each.next();
		if (first == null || first instanceof Collection || first instanceof Map) {
			return Object.class;
		}
		Class<?> common = first.getClass();
		while (each.hasNext()) {
			Object next = each.next();
			if (next == null || next.getClass() != common) {
				return Object.class;
			}
		}
		return common;
	}

	private boolean allowed(JavaType type) {
		Class<?> raw = type.getRawClass();
		while (raw.isArray()) {
			raw = raw.getComponentType();
		}
		if (!raw.isPrimitive() && !JDK_PACKAGES.contains(raw.getPackageName())
				&& this.allowedPackages.stream().noneMatch(raw.getName()::startsWith)) {
			return false;
		}
		for (int i = 0; i < type.containedTypeCount(); i++) {
			JavaType contained = type.containedType(i);
			if (contained != null && !allowed(contained)) {
				return false;
			}
		}
		JavaType content = type.getContentType();
		return content == null || allowed(content);
	}

}
