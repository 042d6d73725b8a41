package dev.redisstarter.session.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import dev.redisstarter.session.Session;
import dev.redisstarter.session.SessionService;

/**
 * Resolves {@link CurrentSession} {@link Session} parameters: one {@link SessionService#get} (which slides
 * the session's expiry) per request.
 */
public final class CurrentSessionArgumentResolver implements HandlerMethodArgumentResolver {

	private final SessionService sessions;

	private final SessionTokenReader tokens;

	/**
	 * A resolver.
	 * @param sessions the session service
	 * @param tokens finds the id in the request
	 */
	public CurrentSessionArgumentResolver(SessionService sessions, SessionTokenReader tokens) {
		this.sessions = sessions;
		this.tokens = tokens;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(CurrentSession.class) && Session.class.equals(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, @Nullable WebDataBinderFactory binderFactory) {
		CurrentSession annotation = parameter.getParameterAnnotation(CurrentSession.class);
		boolean required = annotation == null || annotation.required();
		HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
		String id = (request != null) ? this.tokens.read(request) : null;
		if (id == null) {
			if (required) {
				throw new SessionRequiredException("The request carries no session id");
			}
			return null;
		}
		Session session = this.sessions.get(id).orElse(null);
		if (session == null && required) {
			throw new SessionRequiredException("The session has ended or does not exist");
		}
		return session;
	}

}
