package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.sample.Sample;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import java.io.File;
import java.nio.file.Path;

/**
 * Takes a referentially intact, masked sample of a source database (production, or a replica of it) and its
 * statistics, read-only: one CSV per table into {@code dataDirectory}, {@code stats.json} into {@code statistics}, and
 * {@code sample-summary.json} into {@code reportDirectory}. Rows are chosen by the rules of {@code sampleConfig}, then
 * every row they reference is added, and rows referencing them along the foreign keys its {@code via} lists; columns are
 * masked as it says. The closure plan is printed before any row is read; {@code dryRun} prints only that.
 */
@Mojo(name = "sample", threadSafe = true)
public class SampleMojo extends AbstractSchemaMojo {

    /** JDBC URL of the database to sample: {@code jdbc:postgresql:}, {@code jdbc:mysql:} or {@code jdbc:mariadb:}. Required. */
    @Parameter(property = "schema.sourceUrl")
    private String sourceUrl;

    /** The {@code <server>} in settings.xml whose username and password connect to {@code sourceUrl}. */
    @Parameter(property = "schema.serverId")
    private String serverId;

    /** User for {@code sourceUrl} when no {@code serverId} is given. */
    @Parameter(property = "schema.sourceUser")
    private String sourceUser;

    /** Password for {@code sourceUrl} when no {@code serverId} is given. */
    @Parameter(property = "schema.sourcePassword")
    private String sourcePassword;

    /** The selection and masking rules (JSON; format in the README). */
    @Parameter(property = "schema.sampleConfig", defaultValue = "src/rehearsal/sample.json")
    private File sampleConfig;

    /** Chooses the rows and keys the masks: the same seed and source give byte-identical files. */
    @Parameter(property = "schema.seed", defaultValue = "0")
    private long seed;

    /** Where the CSV files go, one per table, in the format {@code schema:rehearse} loads. */
    @Parameter(property = "schema.data", defaultValue = "src/rehearsal/data")
    private File dataDirectory;

    /** Where the source's statistics snapshot goes. */
    @Parameter(property = "schema.statistics", defaultValue = "src/rehearsal/stats.json")
    private File statistics;

    /**
     * Where {@code sample-summary.json} goes. Relative paths, here and above, resolve against the module's folder.
     */
    @Parameter(property = "schema.reportDirectory", defaultValue = "target/schema-rehearsal")
    private File reportDirectory;

    /**
     * The queries whose plans on the source are captured with plain EXPLAIN (never run) into {@code productionPlans},
     * or {@code none} for no plans; default: {@code src/rehearsal/queries.sql} when it exists.
     */
    @Parameter(property = "schema.queries")
    private String queries;

    /** Where production's plans of the queries go. */
    @Parameter(property = "schema.productionPlans", defaultValue = "src/rehearsal/plans.json")
    private File productionPlans;

    /** The longest any one statement on the source may run, in milliseconds. */
    @Parameter(property = "schema.statementTimeoutMs", defaultValue = "300000")
    private long statementTimeoutMs;

    /**
     * Samples even when the source user holds a privilege that could write (INSERT, UPDATE, DELETE, ownership,
     * superuser, …), with a warning; by default such a user is refused before anything is read.
     */
    @Parameter(property = "schema.allowWritableSource", defaultValue = "false")
    private boolean allowWritableSource;

    /**
     * Prints the closure plan (the foreign keys followed in each direction with their limits, how each lookup reads its
     * table, the rows expected from the source's statistics) and stops: no row is read and no file written.
     */
    @Parameter(property = "schema.dryRun", defaultValue = "false")
    private boolean dryRun;

    @Parameter(defaultValue = "${settings}", readonly = true)
    private Settings settings;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Override
    String work() {
        return "sample";
    }

    @Override
    void run(RehearsalListener listener) throws MojoFailureException {
        ServerCredentials credentials = ServerCredentials.resolve(serverId, sourceUser, sourcePassword,
                "<sourceUser>/<sourcePassword>", settings, settingsDecrypter, getLog());
        Sample.Builder sample = Sample.configure().projectDirectory(projectDirectory());
        if (RehearsalConfig.Plans.NONE.equals(queries)) {
            sample.noQueries();
        } else {
            sample.queries(queries == null ? null : Path.of(queries));
        }
        sample.source(sourceUrl, credentials.user(), credentials.password())
                .config(sampleConfig.toPath())
                .seed(seed)
                .dataDirectory(dataDirectory.toPath())
                .statistics(statistics.toPath())
                .reportDirectory(reportDirectory.toPath())
                .statementTimeoutMs(statementTimeoutMs)
                .productionPlans(productionPlans.toPath())
                .allowWritableSource(allowWritableSource)
                .dryRun(dryRun)
                .load()
                .run(listener);
    }
}
