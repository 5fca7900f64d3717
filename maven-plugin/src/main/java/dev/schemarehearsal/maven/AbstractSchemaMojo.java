package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every goal shares: {@code skip}, the harness's events in Maven's log, and the harness's exceptions as Maven's:
 * bad configuration fails the build naming the parameter, a failing environment is an execution error.
 */
abstract class AbstractSchemaMojo extends AbstractMojo {

    /** Skips the goal: nothing starts and no report is written. */
    @Parameter(property = "schema.skip", defaultValue = "false")
    protected boolean skip;

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
            throw new MojoFailureException("<" + e.parameter() + ">: " + e.describe(), e);
        } catch (InfrastructureException e) {
            throw new MojoExecutionException(e.describe(), e);
        }
    }
}
