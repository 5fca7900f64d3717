package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalException;
import dev.schemarehearsal.harness.api.RehearsalInterruptedException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.Secrets;
import dev.schemarehearsal.harness.shadow.Interruption;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.nio.file.Path;

/**
 * What every goal shares: {@code skip}, the harness's events in Maven's log, and the harness's exceptions as Maven's:
 * bad configuration fails the build naming the parameter, an interruption says so and nothing more, a failing
 * environment is an execution error. Maven prints the message of every cause after the error's own, so the causes
 * are handed over {@linkplain Secrets#redacted redacted}: a driver's message may quote a URL with its password.
 */
abstract class AbstractSchemaMojo extends AbstractMojo {

    /** Skips the goal: nothing starts and no report is written. */
    @Parameter(property = "schema.skip", defaultValue = "false")
    protected boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true)
    protected MavenProject project;

    /**
     * The folder of the module the goal runs for, which every default path and relative parameter resolves against:
     * not the folder Maven was started in, which differs under {@code mvn -f other/pom.xml} and in a reactor.
     */
    Path projectDirectory() {
        return project.getBasedir().toPath();
    }

    /** What the goal does, for the log, e.g. {@code rehearsal}. */
    abstract String work();

    /** The goal's work, its progress told to the listener. */
    abstract void run(RehearsalListener listener) throws MojoExecutionException, MojoFailureException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Schema " + work() + " skipped (schema.skip)");
            return;
        }
        try {
            run(new MavenLogListener(getLog()));
        } catch (ConfigurationException e) {
            throw new MojoFailureException("<" + e.parameter() + ">: " + e.describe(), Secrets.redacted(e));
        } catch (RehearsalInterruptedException e) {
            if (Interruption.shuttingDown()) {
                awaitHalt();
            }
            // What failed meanwhile failed because the shadow was being removed: the interruption is the news.
            throw new MojoExecutionException("Schema " + work() + " " + e.getMessage());
        } catch (RehearsalException e) {
            throw new MojoExecutionException(e.describe(), Secrets.redacted(e));
        } catch (RuntimeException e) {
            throw new MojoExecutionException(Secrets.redact(e.toString()), Secrets.redacted(e));
        }
    }

    /**
     * Waits for the JVM to end: it does once its shutdown hooks have removed the shadows and said so. Returning would
     * have Maven close this plugin's class loader under those hooks (Testcontainers' among them), which then fail
     * with a stack trace for each class they had yet to load.
     */
    private static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Nothing to do but wait: the JVM is ending.
            }
        }
    }
}
