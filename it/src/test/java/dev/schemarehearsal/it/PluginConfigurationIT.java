package dev.schemarehearsal.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin's own configuration: help, skip, Flyway locations taken from flyway-maven-plugin, credentials from
 * settings.xml. Only the credentials test starts a shadow.
 */
class PluginConfigurationIT {
    private static final List<String> PARAMETERS = List.of("shadow", "engine", "engineVersion", "image", "serverUrl",
            "serverId", "serverUser", "serverPassword", "locations", "baseline", "data", "scale", "statistics",
            "nullMarker", "encoding", "reportDirectory", "failOn", "maxLockMs", "maxStallMs", "skip");

    @Test
    void helpShowsEveryParameterWithItsPropertyAndDefault() throws Exception {
        MavenBuild.Result result = MavenBuild.of("broken", "help").goal("schema:help").arg("-Ddetail").arg("-Dgoal=rehearse").run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        for (String parameter : PARAMETERS) {
            assertThat(result.log()).contains("User property: schema." + parameter);
        }
        assertThat(result.log()).contains("failOn (Default: error)").contains("maxLockMs (Default: 1000)")
                .contains("shadow (Default: auto)").contains("skip (Default: false)")
                .contains("reportDirectory (Default: ${project.build.directory}/schema-rehearsal)")
                .contains("flyway-maven-plugin");
    }

    @Test
    void skipSkipsTheGoal() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "skip").arg("-Dschema.skip=true");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Schema rehearsal skipped (schema.skip)").doesNotContain("Shadow");
        assertThat(build.report("")).doesNotExist();
    }

    /**
     * The migrations live where only flyway-maven-plugin's {@code <locations>} say: the baseline check, which reads
     * them before any shadow starts, lists their versions.
     */
    @Test
    void locationsComeFromFlywayMavenPlugin() throws Exception {
        MavenBuild build = flywayConfigured("flyway-locations", "src/main/sql",
                "<locations><location>filesystem:src/main/sql</location></locations>");
        MavenBuild.Result result = build.arg("-Dschema.baseline=9").run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("Locations from flyway-maven-plugin: filesystem:src/main/sql")
                .contains("<baseline>: no migration has version 9; the versions are 1, 2, 3. Fix: set <baseline> to the version production is at");
    }

    /** Flyway's Maven plugin reads {@code classpath:} locations from the project's classes: the rehearsal from its resources. */
    @Test
    void classpathLocationsOfFlywayMavenPluginAreTheProjectsResources() throws Exception {
        MavenBuild build = flywayConfigured("flyway-classpath-locations", "src/main/resources/db/other",
                "<locations>classpath:db/other</locations>");
        MavenBuild.Result result = build.arg("-Dschema.baseline=9").run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("Locations from flyway-maven-plugin: filesystem:"
                        + build.project().resolve("src/main/resources/db/other"))
                .contains("<baseline>: no migration has version 9; the versions are 1, 2, 3.");
    }

    @Test
    void schemaLocationsWinOverFlywayMavenPlugin() throws Exception {
        MavenBuild build = flywayConfigured("flyway-locations-overridden", "src/main/sql",
                "<locations><location>filesystem:src/main/sql</location></locations>");
        MavenBuild.Result result = build.arg("-Dschema.locations=filesystem:src/elsewhere").run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).doesNotContain("Locations from flyway-maven-plugin")
                .contains("<locations>: the migration folder " + build.project().resolve("src/elsewhere") + " does not exist");
    }

    /** The server's user and password come from settings.xml: the rehearsal reaches the server and runs there. */
    @Test
    void serverIdTakesTheCredentialsFromSettings() throws Exception {
        try (PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15")) {
            postgres.start();
            MavenBuild build = MavenBuild.of("broken", "server-id");
            Path settings = build.project().resolve("settings.xml");
            Files.writeString(settings, """
                    <settings><servers><server>
                      <id>rehearsal-db</id><username>%s</username><password>%s</password>
                    </server></servers></settings>
                    """.formatted(postgres.getUsername(), postgres.getPassword()));
            MavenBuild.Result result = build.arg("-s").arg(settings.toString())
                    .arg("-Dschema.serverUrl=" + postgres.getJdbcUrl()).arg("-Dschema.serverId=rehearsal-db").run();

            assertThat(result.log()).contains("Shadow: server").contains("Shadow removed:")
                    .contains("Schema rehearsal verdict: FAIL (1 error, 0 warning, 0 info)")
                    .contains("migration-failed: V2__add_and_fail.sql failed on the shadow");
            assertThat(Leftovers.scratchDatabases(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())).isEmpty();
        }
    }

    @Test
    void anUnknownServerIdNamesTheElementAndTheFix() throws Exception {
        MavenBuild.Result result = MavenBuild.of("broken", "server-id-unknown")
                .arg("-Dschema.serverUrl=jdbc:postgresql://localhost:1/app").arg("-Dschema.serverId=nowhere").run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("<serverId>: settings.xml has no <server> with id 'nowhere'. Fix: add "
                + "<server><id>nowhere</id><username>…</username><password>…</password></server> to ~/.m2/settings.xml");
    }

    /** The broken fixture with its migrations moved to {@code folder} and flyway-maven-plugin configured so. */
    private static MavenBuild flywayConfigured(String scenario, String folder, String locations) throws Exception {
        MavenBuild build = MavenBuild.of("broken", scenario);
        Path project = build.project();
        Path target = project.resolve(folder);
        Files.createDirectories(target.getParent());
        Files.move(project.resolve("src/main/resources/db/migration"), target);
        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("</plugins>", """
                  <plugin>
                    <groupId>org.flywaydb</groupId>
                    <artifactId>flyway-maven-plugin</artifactId>
                    <version>11.0.0</version>
                    <configuration>
                      <url>jdbc:postgresql://production.example/app</url>
                      %s
                    </configuration>
                  </plugin>
                </plugins>""".formatted(locations)));
        return build;
    }
}
