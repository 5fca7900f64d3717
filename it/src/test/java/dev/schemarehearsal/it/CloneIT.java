package dev.schemarehearsal.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mvn schema:rehearse -Dschema.shadow=clone} interrupted with Ctrl-C (SIGINT to the Maven JVM): while a
 * migration runs on a template's copy or on a clone command's clone, and while the clone command itself still runs.
 * The copy is gone when the build ends, and the template {@code prod} is as it was.
 */
class CloneIT {
    private static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:15");
    private static final Path RECIPE = MavenBuild.FIXTURES.resolve("clone");
    private static final Path SLOW_CLONE = MavenBuild.FIXTURES.resolve("../harness/src/test/resources/clone/slow.sh")
            .normalize();

    @BeforeAll
    static void production() throws Exception {
        POSTGRES.start();
        execute(POSTGRES.getJdbcUrl(), "CREATE DATABASE prod");
        execute(url("prod"), "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 1000)");
    }

    @AfterAll
    static void stop() {
        POSTGRES.stop();
    }

    @AfterEach
    void nothingLeftAndProductionAsItWas() throws Exception {
        assertThat(Leftovers.scratchDatabases(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword()))
                .as("clones left on the server").isEmpty();
        try (Connection connection = DriverManager.getConnection(url("prod"), POSTGRES.getUsername(), POSTGRES.getPassword());
             ResultSet rs = connection.createStatement().executeQuery("SELECT count(*), "
                     + "(SELECT count(*) FROM pg_class WHERE relname = 'flyway_schema_history') FROM t")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the template's rows").isEqualTo(1000);
            assertThat(rs.getLong(2)).as("a Flyway history in the template").isZero();
        }
    }

    @Test
    void aTemplatesCopyIsDroppedWhenTheBuildIsInterrupted() throws Exception {
        MavenBuild build = MavenBuild.of("slow", "clone-template-INT")
                .arg("-Dschema.shadow=clone").arg("-Dschema.cloneTemplate=prod")
                .arg("-Dschema.serverUrl=" + POSTGRES.getJdbcUrl())
                .arg("-Dschema.serverUser=" + POSTGRES.getUsername())
                .arg("-Dschema.serverPassword=" + POSTGRES.getPassword());
        build.start();
        build.awaitLog("Applying V2__slow.sql");
        assertThat(Leftovers.scratchDatabases(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword()))
                .as("the clone while the build runs").hasSize(1);

        build.signal("INT");
        MavenBuild.Result result = build.waitForExit();

        assertThat(result.exitCode()).as(result.log()).isEqualTo(130);
        assertThat(result.log()).contains("Baseline 1 taken as applied: the clone holds production's schema and data")
                .contains("Interrupted during the migrate stage: the rehearsal stops and its shadow is removed")
                .contains("Shadow removed: clone schema_rehearsal_").doesNotContain("Could not remove");
    }

    @Test
    void aCommandsCloneIsDestroyedWhenTheBuildIsInterrupted() throws Exception {
        // The clone's credentials from settings.xml, as a server's.
        MavenBuild build = MavenBuild.of("slow", "clone-command-INT");
        Path settings = build.project().resolve("settings.xml");
        Files.writeString(settings, """
                <settings><servers><server>
                  <id>clones</id><username>%s</username><password>%s</password>
                </server></servers></settings>
                """.formatted(POSTGRES.getUsername(), POSTGRES.getPassword()));
        build = commanded(build.arg("-s").arg(settings.toString()).arg("-Dschema.serverId=clones"),
                RECIPE.resolve("clone-create.sh"), false);
        build.start();
        build.awaitLog("Applying V2__slow.sql");
        assertThat(Leftovers.scratchDatabases(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword()))
                .as("the clone while the build runs").hasSize(1);

        build.signal("INT");
        MavenBuild.Result result = build.waitForExit();

        assertThat(result.exitCode()).as(result.log()).isEqualTo(130);
        assertThat(result.log()).contains("Clone made: jdbc:postgresql://localhost:" + POSTGRES.getMappedPort(5432))
                .contains("Interrupted during the migrate stage").contains("Shadow removed: clone jdbc:postgresql://")
                .doesNotContain("Could not remove");
    }

    @Test
    void theCloneCommandIsStoppedAndWhatItMadeDestroyedWhenTheBuildIsInterrupted() throws Exception {
        MavenBuild build = commanded(MavenBuild.of("slow", "clone-command-slow-INT"), SLOW_CLONE, true);
        build.start();
        build.awaitLog("Clone: running");
        awaitClone();

        build.signal("INT");
        MavenBuild.Result result = build.waitForExit();

        assertThat(result.exitCode()).as(result.log()).isEqualTo(130);
        assertThat(result.log()).contains("Interrupted during the start stage").contains("Shadow removed: clone schema_rehearsal_")
                .doesNotContain("Could not remove");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 600")))
                .as("the clone command's children").isEmpty();
    }

    /**
     * The README's local recipe, or another create script taking the same arguments, with psql's credentials; the
     * clone's as {@code serverUser}/{@code serverPassword} when asked, else given by the caller.
     */
    private static MavenBuild commanded(MavenBuild build, Path create, boolean serverUser) {
        String psql = "env PGUSER=" + POSTGRES.getUsername() + " PGPASSWORD=" + POSTGRES.getPassword() + " sh ";
        String server = " localhost " + POSTGRES.getMappedPort(5432);
        build = build.arg("-Dschema.shadow=clone")
                .arg("-Dschema.cloneCommand=" + psql + create + server + " prod")
                .arg("-Dschema.cloneDestroyCommand=" + psql + RECIPE.resolve("clone-destroy.sh") + server);
        return serverUser ? build.arg("-Dschema.serverUser=" + POSTGRES.getUsername())
                .arg("-Dschema.serverPassword=" + POSTGRES.getPassword()) : build;
    }

    /** Until the slow clone command made its copy. */
    private static void awaitClone() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Leftovers.scratchDatabases(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword()).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the clone command never made its copy");
            }
            Thread.sleep(200);
        }
    }

    private static void execute(String url, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, POSTGRES.getUsername(), POSTGRES.getPassword());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String url(String database) {
        return POSTGRES.getJdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
    }
}
