package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.Rehearsal;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.util.List;

/** The parameters {@code schema:rehearse} and {@code schema:lint} share, declared once. */
abstract class PendingMigrationsMojo extends AbstractSchemaMojo {

    /** Production's engine: {@code postgresql}, {@code mysql} or {@code mariadb}. */
    @Parameter(property = "schema.engine", defaultValue = "postgresql")
    protected String engine;

    /**
     * Production's engine version, e.g. {@code 16}, {@code 8.0}, {@code 10.11}: the container image's tag, or the
     * embedded PostgreSQL major version (14 to 18). Default: 16, 8.0 or 10.11 by engine.
     */
    @Parameter(property = "schema.engineVersion")
    protected String engineVersion;

    /**
     * Flyway locations of the migrations; {@code filesystem:} paths are relative to the project. On the command
     * line, comma-separated. Default: the {@code <locations>} of the project's flyway-maven-plugin configuration
     * when it has them, else {@code filesystem:src/main/resources/db/migration}.
     */
    @Parameter(property = "schema.locations")
    protected List<String> locations;

    /**
     * The migration version production is at: migrations above it are pending; or {@code git:<ref>}: the migration
     * files not present at that git ref are pending; or {@code none}: every migration is pending, rehearsed from an
     * empty database. Required.
     */
    @Parameter(property = "schema.baseline")
    protected String baseline;

    /**
     * Where the reports go: report.html, report.json, TEST-schema-rehearsal.xml, summary.md, findings.sarif (and
     * lint.json).
     */
    @Parameter(property = "schema.reportDirectory", defaultValue = "${project.build.directory}/schema-rehearsal")
    protected File reportDirectory;

    /**
     * Severities (error, warning, info) and/or rule ids that fail the build, comma-separated, e.g.
     * {@code error,index-not-concurrent}; a severity fails on that severity or worse; {@code none} never fails.
     */
    @Parameter(property = "schema.failOn", defaultValue = "error")
    protected String failOn;

    /** Every pending migration must carry {@code -- why: …} and {@code -- approved-by: …} header lines. */
    @Parameter(property = "schema.requireRationale", defaultValue = "false")
    protected boolean requireRationale;

    /** The harness's configuration with the shared parameters set. */
    Rehearsal.Builder configureShared() {
        return Rehearsal.configure()
                .projectDirectory(projectDirectory())
                .engine(engine)
                .engineVersion(engineVersion)
                .locations(locations != null && !locations.isEmpty() ? locations : FlywayPluginLocations.of(project, getLog()))
                .baseline(baseline)
                .reportDirectory(reportDirectory.toPath())
                .failOn(failOn)
                .requireRationale(requireRationale);
    }
}
