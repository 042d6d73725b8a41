package dev.redisstarter.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

/**
 * The names the starter binds under {@code redis.starter}, as a tree: the groups and properties of
 * {@link RedisStarterProperties} found the way the binder finds them (JavaBean getters and setters; a map's keys and
 * a list's indexes are free), the names in every {@code spring-configuration-metadata.json} on the class path (so a
 * property read without a properties class, or declared by another module, counts), and the renamed prefixes of
 * {@link RenamedPropertiesEnvironmentPostProcessor} as aliases of their new names.
 * <p>
 * Names are compared in the binder's uniform form (lower case, no dashes), so {@code rate-limit} is
 * {@code ratelimit}, as it is to the binder.
 */
final class StarterPropertyNames {

	static final String PREFIX = "redis.starter";

	private static final String[] METADATA = { "META-INF/spring-configuration-metadata.json",
			"META-INF/additional-spring-configuration-metadata.json" };

	private final Node root = new Node();

	private StarterPropertyNames() {
	}

	/**
	 * The names of {@link RedisStarterProperties} and of the metadata visible to a class loader.
	 * @param classLoader where to look for metadata
	 * @return the names
	 */
	static StarterPropertyNames load(@Nullable ClassLoader classLoader) {
		StarterPropertyNames names = new StarterPropertyNames();
		names.root.addGroup(RedisStarterProperties.class);
		// redis-starter-test reads its own system properties (redis.starter.test.docker, redis.starter.schedule.seed),
		// which an application's tests may set for the whole JVM.
		names.root.child("test").open = true;
		names.root.child("schedule").open = true;
		for (RenamedPropertiesEnvironmentPostProcessor.Rename rename : RenamedPropertiesEnvironmentPostProcessor.RENAMES) {
			Node renamed = names.root.find(ConfigurationPropertyName.of(rename.newPrefix()), 2);
			if (renamed != null) {
				names.root.alias(ConfigurationPropertyName.of(rename.oldPrefix()), 2, renamed);
			}
		}
		// After the aliases, so that the metadata of an old name adds to the new name's tree.
		names.addMetadata(classLoader);
		return names;
	}

	/**
	 * Finds the first element of a name that the starter does not bind.
	 * @param name a name under {@code redis.starter}
	 * @return null when the starter knows the name, else the unknown element and the nearest valid name
	 */
	@Nullable Unknown check(ConfigurationPropertyName name) {
		Node node = this.root;
		for (int i = 2; i < name.getNumberOfElements(); i++) {
			if (node.open) {
				return null;
			}
			if (node.entries != null) {
				node = node.entries;
				continue;
			}
			Node child = indexed(name, i) ? null : node.children.get(name.getElement(i, Form.UNIFORM));
			if (child == null) {
				return new Unknown(name, i, nearest(name, i, node));
			}
			node = child;
		}
		return null;
	}

	private static String nearest(ConfigurationPropertyName name, int index, Node parent) {
		String wrong = name.getElement(index, Form.DASHED);
		String best = parent.dashed.values()
			.stream()
			.min(Comparator.comparingInt((String candidate) -> distance(wrong, candidate))
				.thenComparing(Comparator.naturalOrder()))
			.orElse(null);
		if (best == null) {
			// A plain value given sub-properties: the value itself is the nearest valid name.
			return name.chop(index).toString();
		}
		StringBuilder nearest = new StringBuilder();
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			String element = (i == index) ? best : name.getElement(i, Form.ORIGINAL);
			if (indexed(name, i) && i != index) {
				nearest.append('[').append(element).append(']');
			}
			else {
				nearest.append((i > 0) ? "." : "").append((i == index) ? element : name.getElement(i, Form.DASHED));
			}
		}
		return nearest.toString();
	}

	/** Whether an element is a map key or list index in brackets ({@code isIndexed} is not public). */
	private static boolean indexed(ConfigurationPropertyName name, int index) {
		return name.chop(index + 1).toString().endsWith("]");
	}

	/** Levenshtein distance, on the dashed forms. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private void addMetadata(@Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : getClass().getClassLoader();
		JsonMapper json = JsonMapper.builder().build();
		for (String resource : METADATA) {
			try {
				for (URL url : Collections.list(loader.getResources(resource))) {
					try (InputStream in = url.openStream()) {
						for (JsonNode property : json.readTree(in).path("properties")) {
							String name = property.path("name").asString("");
							if (name.startsWith(PREFIX + ".") && ConfigurationPropertyName.isValid(name)) {
								Node node = this.root.path(ConfigurationPropertyName.of(name), 2);
								if (property.path("type").asString("").startsWith("java.util.Map")
										&& node.children.isEmpty() && node.entries == null) {
									node.open = true;
								}
							}
						}
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// Metadata only widens what is accepted; without it the properties classes still count.
			}
		}
	}

	/**
	 * An element of a name that the starter does not bind.
	 * @param name the whole name
	 * @param index the index of the first unknown element
	 * @param nearest the valid name nearest to it (the unknown element replaced by its nearest valid sibling)
	 */
	record Unknown(ConfigurationPropertyName name, int index, String nearest) {
	}

	private static final class Node {

		/** Children by uniform name. */
		final Map<String, Node> children = new LinkedHashMap<>();

		/** Children's dashed names by uniform name, for suggestions. */
		final Map<String, String> dashed = new LinkedHashMap<>();

		/** What a map key or list index leads to, for maps and lists. */
		@Nullable Node entries;

		/** Whether any name below is accepted (a map of plain values, a namespace owned elsewhere). */
		boolean open;

		Node child(String dashedName) {
			String uniform = dashedName.replace("-", "").toLowerCase(java.util.Locale.ROOT);
			this.dashed.putIfAbsent(uniform, dashedName);
			return this.children.computeIfAbsent(uniform, (key) -> new Node());
		}

		Node path(ConfigurationPropertyName name, int from) {
			Node node = this;
			for (int i = from; i < name.getNumberOfElements() && !node.open; i++) {
				if (node.entries != null) {
					node = node.entries;
				}
				else {
					node = node.child(name.getElement(i, Form.DASHED));
				}
			}
			return node;
		}

		@Nullable Node find(ConfigurationPropertyName name, int from) {
			Node node = this;
			for (int i = from; i < name.getNumberOfElements() && node != null; i++) {
				node = node.children.get(name.getElement(i, Form.UNIFORM));
			}
			return node;
		}

		void alias(ConfigurationPropertyName name, int from, Node target) {
			Node parent = (name.getNumberOfElements() - 1 > from) ? path(name.chop(name.getNumberOfElements() - 1), from)
					: this;
			String last = name.getElement(name.getNumberOfElements() - 1, Form.DASHED);
			String uniform = name.getElement(name.getNumberOfElements() - 1, Form.UNIFORM);
			parent.dashed.putIfAbsent(uniform, last);
			parent.children.putIfAbsent(uniform, target);
		}

		void addGroup(Class<?> type) {
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
					continue;
				}
				String dashedName = DataObjectPropertyName.toDashedForm(descriptor.getName());
				Type generic = descriptor.getReadMethod().getGenericReturnType();
				Class<?> raw = descriptor.getPropertyType();
				if (Map.class.isAssignableFrom(raw)) {
					child(dashedName).entries = valueNode(ResolvableType.forType(generic).asMap().resolveGeneric(1));
				}
				else if (Collection.class.isAssignableFrom(raw) && generic instanceof ParameterizedType) {
					child(dashedName).entries = valueNode(ResolvableType.forType(generic).asCollection().resolveGeneric(0));
				}
				else if (isGroup(raw)) {
					child(dashedName).addGroup(raw);
				}
				else if (descriptor.getWriteMethod() != null) {
					child(dashedName);
				}
			}
		}

		private static Node valueNode(@Nullable Class<?> type) {
			Node node = new Node();
			if (type != null && isGroup(type)) {
				node.addGroup(type);
			}
			else {
				node.open = true;
			}
			return node;
		}

		private static boolean isGroup(Class<?> type) {
			return type.getName().startsWith("dev.redisstarter.autoconfigure.") && !type.isEnum();
		}

	}

}
