package dev.redisstarter.cache;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

import dev.redisstarter.core.JsonCodec;

/**
 * Types recorded in entries, for the Spring Cache bridge: Spring's {@code Cache.get(key)} does not say what it
 * reads. A value's type is recorded as Jackson's canonical name, element types included for lists, sets and
 * maps whose elements share one class ({@code java.util.List<com.example.Book>}).
 *
 * <p>Whoever can write to Redis chooses the recorded names, so every class name in a recorded type is checked
 * against the allow-list as text, before any class is looked up (looking a class up may run its static
 * initialiser): the JDK's value types listed below, and anything under an allowed package. Nothing else is
 * resolved; {@code Class}, {@code ClassLoader}, {@code Thread}, {@code Runtime}, {@code ProcessBuilder} and the
 * rest of {@code java.lang} are not on the list.
 *
 * <p>A value that would not read back as written is not cached ({@link #roundTrips}), with one log line per
 * type: a class outside the allowed packages, or a collection of mixed classes other than JSON's own types.
 */
final class DescribedValueType implements ValueType {

	private static final Log logger = LogFactory.getLog(DescribedValueType.class);

	/** The JDK classes a cached value may name: value types and the collections Jackson reads into. */
	private static final Set<String> JDK_TYPES = Set.of("java.lang.Object", "java.lang.String", "java.lang.Boolean",
			"java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
			"java.lang.Double", "java.lang.Character", "java.lang.Number", "java.math.BigDecimal",
			"java.math.BigInteger", "java.util.List", "java.util.ArrayList", "java.util.LinkedList", "java.util.Set",
			"java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.Map", "java.util.HashMap",
			"java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Collection", "java.util.Optional",
			"java.util.UUID", "java.util.Locale", "java.util.Currency", "java.util.Date");

	private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "short", "int", "long", "float", "double",
			"char");

	/** Where one class name ends and the next begins in a canonical type: {@code a.B<c.D,e.F[]>}. */
	private static final Pattern NAME_SEPARATORS = Pattern.compile("[<>,\\s]+|\\[\\]");

	private final TypeFactory types;

	private final List<String> allowedPackages;

	private final Set<String> refusedTypes = ConcurrentHashMap.newKeySet();

	private final JsonCodec codec;

	/** Whether values of a recorded type parsed back as it, tried once per type. */
	private final Map<String, Boolean> parsesBack = new ConcurrentHashMap<>();

	/**
	 * Types recorded and read back.
	 * @param codec the codec values are written and read with
	 * @param allowedPackages packages (with their subpackages) whose classes may be read back
	 */
	DescribedValueType(JsonCodec codec, List<String> allowedPackages) {
		this.codec = codec;
		this.types = codec.typeFactory();
		this.allowedPackages = allowedPackages.stream().map((name) -> name.endsWith(".") ? name : name + ".").toList();
	}

	@Override
	public @Nullable JavaType readAs(CacheEntry entry) {
		String recorded = entry.type();
		if (recorded == null) {
			return null;
		}
		String refused = firstRefusedName(recorded);
		if (refused != null) {
			logger.warn("A cached value of type " + recorded + " is not read back: " + refused + " is not allowed (add"
					+ " its package to redis.starter.cache.spring-cache.allowed-packages if it is yours)");
			return null;
		}
		try {
			return this.types.constructFromCanonical(recorded);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("A cached value has an unknown type " + recorded + ": " + ex.getMessage());
			return null;
		}
	}

	@Override
	public String describe(Object value) {
		return typeOf(value).toCanonical();
	}

	@Override
	public boolean roundTrips(Object value) {
		String recorded = describe(value);
		String refused = firstRefusedName(recorded);
		if (refused != null) {
			refuseOnce(recorded, refused + " is outside the allowed packages: add its package to"
					+ " redis.starter.cache.spring-cache.allowed-packages to cache it");
			return false;
		}
		if (!elementsReadBack(value)) {
			refuseOnce(value.getClass().getName() + " of mixed element classes", "its elements would read back as"
					+ " maps, not as the classes written: cache a list of one class, or a value object that holds them");
			return false;
		}
		Boolean parses = this.parsesBack.get(recorded);
		if (parses == null) {
			parses = this.codec.readsBackAs(value, this.types.constructFromCanonical(recorded));
			if (this.parsesBack.size() < 1000) {
				this.parsesBack.put(recorded, parses);
			}
		}
		if (!parses) {
			refuseOnce(recorded, "its JSON does not parse back as " + recorded
					+ " (an abstract or interface type inside it, or no way to construct it)");
		}
		return parses;
	}

	private void refuseOnce(String type, String why) {
		if (this.refusedTypes.size() < 1000 && this.refusedTypes.add(type)) {
			logger.warn("A value of type " + type + " is not cached by the Spring Cache bridge (it would not read back"
					+ " as written): " + why);
		}
	}

	/** The first class name in a canonical type that is not allowed, or {@code null}: checked as text only. */
	@Nullable String firstRefusedName(String canonical) {
		for (String name : NAME_SEPARATORS.split(canonical)) {
			if (!name.isEmpty() && !allowedName(name)) {
				return name;
			}
		}
		return null;
	}

	private boolean allowedName(String name) {
		if (PRIMITIVES.contains(name) || JDK_TYPES.contains(name)) {
			return true;
		}
		if (name.startsWith("java.time.") && name.indexOf('.', "java.time.".length()) < 0) {
			return true;
		}
		for (String allowed : this.allowedPackages) {
			if (name.startsWith(allowed)) {
				return true;
			}
		}
		return false;
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

	/**
	 * Whether a collection's elements read back as written: they share one class (recorded), or each is one of
	 * JSON's own types (read back as such).
	 */
	private static boolean elementsReadBack(Object value) {
		if (value instanceof Map<?, ?> map) {
			return (commonClass(map.keySet()) != Object.class || map.keySet().stream().allMatch(String.class::isInstance))
					&& (commonClass(map.values()) != Object.class || map.values().stream().allMatch(DescribedValueType::natural));
		}
		if (value instanceof Collection<?> collection) {
			return commonClass(collection) != Object.class
					|| collection.stream().allMatch(DescribedValueType::natural);
		}
		return true;
	}

	/** JSON's own types, which read back as themselves when nothing more is known. */
	private static boolean natural(@Nullable Object element) {
		if (element == null || element instanceof String || element instanceof Boolean || element instanceof Integer
				|| element instanceof Double) {
			return true;
		}
		if (element instanceof List<?> list) {
			return list.stream().allMatch(DescribedValueType::natural);
		}
		if (element instanceof Map<?, ?> map) {
			return map.keySet().stream().allMatch(String.class::isInstance)
					&& map.values().stream().allMatch(DescribedValueType::natural);
		}
		return false;
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

}
