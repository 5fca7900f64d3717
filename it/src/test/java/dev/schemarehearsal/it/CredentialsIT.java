package dev.schemarehearsal.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password given in a JDBC URL (the easy way, and the wrong one: {@code serverId} keeps it out of the command line)
 * appears in no file a run leaves, whether the run passes or fails, and however it fails: the build log, every report
 * and every file the sample writes are searched for it.
 */
class CredentialsIT {
    private static final String PASSWORD = "Kn0wn-" + UUID.randomUUID();
    private static final PostgreSQLContainer SERVER = new PostgreSQLContainer("postgres:15").withPassword(PASSWORD);

    @BeforeAll
    static void server() throws Exception {
        SERVER.start();
        try (Connection connection = DriverManager.getConnection(SERVER.getJdbcUrl(), SERVER.getUsername(), PASSWORD);
             Statement statement = connection.createStatement()) {
            // The sample's source, read by a role that may only read it.
            statement.execute("CREATE TABLE accounts (id int PRIMARY KEY, name varchar(50) NOT NULL)");
            statement.execute("INSERT INTO accounts VALUES (1, 'Acme Ltd'), (2, 'Globex')");
            statement.execute("CREATE ROLE reader LOGIN PASSWORD '" + PASSWORD + "'");
            statement.execute("GRANT SELECT ON accounts TO reader");
        }
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    /** The server's URL with the credentials in its parameters. */
    private static String url(String database, String user) {
        return "jdbc:postgresql://localhost:" + SERVER.getMappedPort(5432) + "/" + database + "?user=" + user
                + "&password=" + PASSWORD;
    }

    @Test
    void aPassingRehearsal() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "credentials-pass").arg("-Dschema.serverUrl=" + url("test", "test"));
        Files.writeString(build.project().resolve("src/main/resources/db/migration/V2__add_and_fail.sql"),
                "ALTER TABLE accounts ADD COLUMN email varchar(100);\n");

        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Schema rehearsal verdict: PASS");
        assertNowhere(build);
    }

    @Test
    void aFailingRehearsal() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "credentials-fail").arg("-Dschema.serverUrl=" + url("test", "test"));

        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("migration-failed");
        assertThat(build.report("report.json")).exists();
        assertNowhere(build);
    }

    @Test
    void aScratchDatabaseThatCannotBeCreated() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "credentials-no-database")
                .arg("-Dschema.serverUrl=" + url("no_such_database", "test"));

        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("could not create a scratch database on 'jdbc:postgresql://localhost:"
                + SERVER.getMappedPort(5432) + "/no_such_database?user=test&password=***': FATAL: database");
        assertNowhere(build);
    }

    @Test
    void urlsOfAnUnknownSchemeOrUnreachableServer() throws Exception {
        MavenBuild misspelt = MavenBuild.of("broken", "credentials-scheme")
                .arg("-Dschema.serverUrl=jdbc:postgres://test:" + PASSWORD + "@localhost/test?password=" + PASSWORD);
        MavenBuild.Result result = misspelt.run();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("'jdbc:postgres://***@localhost/test?password=***' is not a postgresql JDBC URL");
        assertNowhere(misspelt);

        MavenBuild unreachable = MavenBuild.of("broken", "credentials-unreachable").arg("-Dschema.engine=mysql")
                .arg("-Dschema.serverUrl=jdbc:mysql://root:" + PASSWORD + "@localhost:1/shop?password=" + PASSWORD);
        result = unreachable.run();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("could not create a scratch database on 'jdbc:mysql://***@localhost:1/shop?password=***'");
        assertNowhere(unreachable);
    }

    @Test
    void aPassingAndAFailingSample() throws Exception {
        MavenBuild sample = MavenBuild.of("broken", "credentials-sample").goal("schema:sample")
                .arg("-Dschema.sourceUrl=" + url("test", "reader"));
        Files.writeString(sample.project().resolve("src/rehearsal/sample.json"), "{\"tables\": {\"accounts\": {\"percent\": 100}}}");

        MavenBuild.Result passed = sample.run();

        assertThat(passed.exitCode()).as(passed.log()).isZero();
        assertThat(sample.project().resolve("src/rehearsal/data/accounts.csv")).content().contains("Globex");
        assertNowhere(sample);

        MavenBuild failing = MavenBuild.of("broken", "credentials-sample-fail").goal("schema:sample")
                .arg("-Dschema.sourceUrl=" + url("no_such_database", "reader"));
        Files.writeString(failing.project().resolve("src/rehearsal/sample.json"), "{\"tables\": {\"accounts\": {\"percent\": 100}}}");

        MavenBuild.Result failed = failing.run();

        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.log()).contains("no_such_database");
        assertNowhere(failing);
    }

    /** The password is in no file of the project the run left: its build log, reports, sample files. */
    private static void assertNowhere(MavenBuild build) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(build.project())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.getFileName().toString().startsWith("build"));
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            assertThat(text).as(file.toString()).doesNotContain(PASSWORD);
        }
    }
}
