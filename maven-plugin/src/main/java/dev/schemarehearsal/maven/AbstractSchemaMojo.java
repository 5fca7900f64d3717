package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.Rehearsal;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.util.List;

/** The parameters {@code schema:rehearse} and {@code schema:lint} share, declared once. */
abstract class AbstractSchemaMojo extends AbstractMojo {

    /** Skips the goal. */
    @Parameter(property = "schema.skip", defaultValue = "false")
    protected boolean skip;

    /** Production's engine: {@code postgresql}, {@code mysql} or {@code mariadb}. */
    @Parameter(property = "schema.engine", defaultValue = "postgresql")
    protected String engine;

    /** Production's engine version, e.g. {@code 16}, {@code 8.0}, {@code 10.11}. Default: 16, 8.0 or 10.11 by engine. */
    @Parameter(property = "schema.engineVersion")
    protected String engineVersion;

    /** Flyway locations of the migrations. Default: {@code filesystem:src/main/resources/db/migration}. */
    @Parameter(property = "schema.locations")
    protected List<String> locations;

    /** The migration version production is at: migrations above it are pending. Required. */
    @Parameter(property = "schema.baseline")
    protected String baseline;

    /** Where the reports go. */
    @Parameter(property = "schema.reportDirectory", defaultValue = "${project.build.directory}/schema-rehearsal")
    protected File reportDirectory;

    /** Severities (error, warning, info) and/or rule ids that fail the build, comma-separated; {@code none} never fails. */
    @Parameter(property = "schema.failOn", defaultValue = "error")
    protected String failOn;

    /** Every pending migration must carry {@code -- why: …} and {@code -- approved-by: …} header lines. */
    @Parameter(property = "schema.requireRationale", defaultValue = "false")
    protected boolean requireRationale;

    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    protected File baseDirectory;

    /** The harness's configuration with the shared parameters set. */
    Rehearsal.Builder configureShared() {
        return Rehearsal.configure()
                .projectDirectory(baseDirectory.toPath())
                .engine(engine)
                .engineVersion(engineVersion)
                .locations(locations == null ? List.of() : locations)
                .baseline(baseline)
                .reportDirectory(reportDirectory.toPath())
                .failOn(failOn)
                .requireRationale(requireRationale);
    }
}
