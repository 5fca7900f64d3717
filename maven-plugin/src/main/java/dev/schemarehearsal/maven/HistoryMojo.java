package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.history.History;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import java.io.File;
import java.nio.file.Path;

/**
 * Renders the history of runs that {@code schema:rehearse} appends to, without rehearsing and without a database unless
 * the history is one: {@code history.html} (every run, each branch's trends) and {@code history.json} in the report
 * directory, for a dashboard.
 */
@Mojo(name = "history", requiresProject = false, threadSafe = true)
public class HistoryMojo extends AbstractSchemaMojo {

    /**
     * The history to render, as {@code schema:rehearse} appends to it: {@code true} for the folder
     * {@code .schema-rehearsal/history} in the project, another folder, or the JDBC URL of a PostgreSQL or
     * MySQL/MariaDB database. Required.
     */
    @Parameter(property = "schema.history")
    private String history;

    /**
     * The {@code <server>} in settings.xml whose username and password connect to the history's database. Default:
     * none, the URL's own credentials.
     */
    @Parameter(property = "schema.historyServerId")
    private String historyServerId;

    /** Where {@code history.html} and {@code history.json} go. */
    @Parameter(property = "schema.reportDirectory", defaultValue = "${project.build.directory}/schema-rehearsal")
    private File reportDirectory;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    @Parameter(defaultValue = "${settings}", readonly = true)
    private Settings settings;

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Override
    String work() {
        return "history";
    }

    @Override
    void run(RehearsalListener listener) throws MojoFailureException {
        ServerCredentials credentials = ServerCredentials.resolve(historyServerId, null, null,
                "the user and password in <history>'s URL", settings, settingsDecrypter, getLog());
        Path basedir = project.getBasedir().toPath();
        RehearsalConfig.History config = RehearsalConfig.History.parse(basedir, history, credentials.user(),
                credentials.password(), RehearsalConfig.History.KEEP);
        if (config == null) {
            throw new ConfigurationException("history", "schema:history renders a history, but <history> is not set",
                    "set <history> as schema:rehearse has it: true, a folder, or a database's JDBC URL "
                            + "(-Dschema.history=true)");
        }
        for (Path file : History.render(config, reportDirectory.toPath(), listener)) {
            getLog().info("  " + file);
        }
    }
}
