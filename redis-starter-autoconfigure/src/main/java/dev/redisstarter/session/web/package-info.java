/**
 * Sessions in Spring MVC: {@link dev.redisstarter.session.web.CurrentSession} parameters and 401 answers.
 */
@NullMarked
package dev.redisstarter.session.web;

import org.jspecify.annotations.NullMarked;
