package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalException;
import dev.schemarehearsal.harness.api.RehearsalInterruptedException;
import dev.schemarehearsal.harness.api.Secrets;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The harness's errors as Maven's. Maven prints the message of every cause after the error's own, so the causes
 * are handed over {@linkplain Secrets#redacted redacted}: a driver's message may quote a URL with its password.
 */
final class MojoErrors {
    private MojoErrors() {
    }

    /** Bad configuration: a build failure naming the parameter. */
    static MojoFailureException configuration(ConfigurationException e) {
        return new MojoFailureException("<" + e.parameter() + ">: " + e.describe(), Secrets.redacted(e));
    }

    /**
     * Anything else: an interruption says so and nothing more (what failed meanwhile failed because the shadow was
     * being removed); infrastructure says what is wrong and the fix; an unexpected error is passed on, redacted.
     */
    static MojoExecutionException execution(String goal, RuntimeException e) {
        if (e instanceof RehearsalInterruptedException interrupted) {
            return new MojoExecutionException(goal + " " + interrupted.getMessage());
        }
        if (e instanceof RehearsalException known) {
            return new MojoExecutionException(known.describe(), Secrets.redacted(known));
        }
        return new MojoExecutionException(Secrets.redact(e.toString()), Secrets.redacted(e));
    }
}
