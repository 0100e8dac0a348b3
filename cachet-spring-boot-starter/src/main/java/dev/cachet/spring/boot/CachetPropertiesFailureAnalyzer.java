package dev.cachet.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link CachetPropertiesException} that stopped the application into Spring Boot's
 * "APPLICATION FAILED TO START" report: the property, what is wrong, and what to write, instead
 * of a stack of bean-creation errors.
 */
public class CachetPropertiesFailureAnalyzer
    extends AbstractFailureAnalyzer<CachetPropertiesException> {

  /** Creates the analyzer; Spring Boot does, from {@code META-INF/spring.factories}. */
  public CachetPropertiesFailureAnalyzer() {
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, CachetPropertiesException cause) {
    return new FailureAnalysis("Invalid Cachet setting " + cause.getMessage(),
        "Correct the property " + cause.property() + " in the application's configuration"
            + " (application.properties or application.yml, the environment, or the command"
            + " line).", cause);
  }
}
