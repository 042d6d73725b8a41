package dev.redisstarter.core;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * SpEL in the starter's annotations, checked when the bean is created rather than discovered wrong at run time:
 * every {@code #variable} must name a parameter of the method ({@code #id}, or by position {@code #p0} /
 * {@code #a0}), {@code #root} or {@code #this}, or a variable the annotation documents ({@code #result}, ...). A
 * misspelled name would otherwise evaluate to {@code null} and become part of a key ({@code products:null}). At
 * call time, {@link #name} refuses a key, tag or lock name that evaluates to nothing.
 */
public final class AnnotationExpressions {

	private static final Pattern POSITIONAL = Pattern.compile("[ap](\\d+)");

	private static final Set<String> BUILT_IN = Set.of("root", "this");

	private final SpelExpressionParser parser = new SpelExpressionParser();

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/**
	 * Parses an expression of an annotation on a method, refusing variables that name nothing.
	 * @param source the expression
	 * @param method the annotated method
	 * @param documented the variables the annotation provides besides the parameters, such as {@code result}
	 * @return the parsed expression
	 * @throws IllegalArgumentException when a variable names nothing (the message names it and the parameters)
	 * @throws org.springframework.expression.ParseException when the expression does not parse
	 */
	public Expression parse(String source, Method method, Collection<String> documented) {
		Expression expression = this.parser.parseExpression(source);
		String[] names = this.parameterNames.getParameterNames(method);
		for (String variable : variablesOf(expression)) {
			if (BUILT_IN.contains(variable) || documented.contains(variable)
					|| (names != null && Arrays.asList(names).contains(variable))
					|| isPosition(variable, method.getParameterCount())) {
				continue;
			}
			List<String> offered = new ArrayList<>();
			if (names != null) {
				offered.addAll(Arrays.asList(names));
			}
			offered.addAll(documented);
			throw new IllegalArgumentException("the expression '" + source + "' uses #" + variable
					+ ", which names no parameter or variable (it would evaluate to null): use one of "
					+ (offered.isEmpty() ? "#p0, #p1, ..." : "#" + String.join(", #", offered))
					+ ((names == null) ? " (parameter names are unknown: compile with -parameters, as Spring Boot's"
							+ " build plugins do, or use #p0, #p1, ...)" : ""));
		}
		return expression;
	}

	/**
	 * Evaluates a key, tag or lock name.
	 * @param expression the parsed expression
	 * @param context the call's evaluation context
	 * @param what what it is, for the message, such as {@code "the @WithLock key 'stock:' + #sku of Inventory.reserve"}
	 * @return the name, never empty
	 * @throws IllegalStateException when it evaluates to {@code null} or an empty string
	 */
	public static String name(Expression expression, EvaluationContext context, String what) {
		return name(expression.getValue(context), what);
	}

	/**
	 * The parameter an expression is nothing but a reference to ({@code #id}, {@code #p0}, {@code #a0}), so that a
	 * caller can read the argument without evaluating SpEL on every call.
	 * @param source the expression
	 * @param method the annotated method
	 * @return the parameter's index, or -1 when the expression is anything else
	 */
	public int parameterIndex(String source, Method method) {
		String stripped = source.strip();
		if (stripped.length() < 2 || stripped.charAt(0) != '#' || !stripped.substring(1).chars().allMatch(
				Character::isJavaIdentifierPart)) {
			return -1;
		}
		String variable = stripped.substring(1);
		if (BUILT_IN.contains(variable)) {
			// SpEL reads these as the root and context objects, even where a parameter has the name.
			return -1;
		}
		String[] names = this.parameterNames.getParameterNames(method);
		if (names != null) {
			int index = Arrays.asList(names).indexOf(variable);
			if (index >= 0) {
				return index;
			}
		}
		return isPosition(variable, method.getParameterCount()) ? Integer.parseInt(variable.substring(1)) : -1;
	}

	/**
	 * A key, tag or lock name read straight from an argument, checked as {@link #name} checks an evaluated one.
	 * @param value the argument
	 * @param what what it is, for the message
	 * @return the name, never empty
	 * @throws IllegalStateException when the argument is {@code null} or its text empty
	 */
	public static String name(@Nullable Object value, String what) {
		String name = (value != null) ? value.toString() : null;
		if (name == null || name.isEmpty()) {
			throw new IllegalStateException(what + " evaluated to " + ((name == null) ? "null" : "an empty string")
					+ "; it must name something");
		}
		return name;
	}

	private static boolean isPosition(String variable, int parameterCount) {
		Matcher matcher = POSITIONAL.matcher(variable);
		return matcher.matches() && matcher.group(1).length() < 4 && Integer.parseInt(matcher.group(1)) < parameterCount;
	}

	/**
	 * The names of the {@code #variables} an expression reads, without the {@code #}.
	 * @param expression a parsed expression
	 * @return the names, in order of appearance
	 */
	public static Set<String> variablesOf(Expression expression) {
		Set<String> variables = new LinkedHashSet<>();
		if (expression instanceof SpelExpression spel) {
			collect(spel.getAST(), variables);
		}
		return variables;
	}

	private static void collect(@Nullable SpelNode node, Set<String> variables) {
		if (node == null) {
			return;
		}
		if (node instanceof VariableReference) {
			variables.add(node.toStringAST().substring(1));
		}
		for (int i = 0; i < node.getChildCount(); i++) {
			collect(node.getChild(i), variables);
		}
	}

}
