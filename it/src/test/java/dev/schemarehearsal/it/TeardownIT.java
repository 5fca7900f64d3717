package dev.schemarehearsal.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever ends a rehearsal (a migration failing part-way, Ctrl-C, a CI runner's SIGTERM), no container, embedded
 * server or scratch database outlives the build.
 */
class TeardownIT {
    private static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:15");
    private static final MariaDBContainer MARIADB = new MariaDBContainer("mariadb:10.11").withUsername("root").withPassword("root");

    @BeforeAll
    static void startServers() throws Exception {
        POSTGRES.start();
        MARIADB.start();
        // The server's own data, which a rehearsal must never touch.
        try (Connection connection = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS production_data (id int)");
        }
    }

    @AfterAll
    static void stopServers() {
        POSTGRES.stop();
        MARIADB.stop();
    }

    @BeforeEach
    void nothingLeftBefore() throws Exception {
        assertNothingLeft();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"embedded, postgresql", "container, postgresql", "container, mariadb", "server, postgresql", "server, mariadb"})
    void afterAMigrationFailsPartWay(String shadow, String engine) throws Exception {
        MavenBuild build = shadowed(MavenBuild.of("broken", "teardown-failed-" + shadow + "-" + engine), shadow, engine);
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.log()).contains("migration-failed").contains("Shadow removed:");
        assertNothingLeft();
        assertNoEmbeddedData(build);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"embedded, postgresql, INT", "embedded, postgresql, TERM", "container, postgresql, INT",
            "container, mariadb, TERM", "server, postgresql, INT", "server, postgresql, TERM", "server, mariadb, INT"})
    void afterTheBuildIsInterrupted(String shadow, String engine, String signal) throws Exception {
        MavenBuild build = shadowed(MavenBuild.of("slow", "teardown-" + signal + "-" + shadow + "-" + engine), shadow, engine);
        if (engine.equals("mariadb")) {
            build.arg("-Dschema.locations=filesystem:src/main/resources/db/mariadb");
        }
        build.start();
        build.awaitLog("Applying V2__slow.sql");

        build.signal(signal);
        MavenBuild.Result result = build.waitForExit();

        assertInterrupted(result, signal);
        assertNothingLeft();
        assertNoEmbeddedData(build);
    }

    /**
     * The atomicity check fails each migration on purpose on a copy beside the shadow: interrupted while the copy's
     * migration runs (it sleeps there, see the fixture), the copy goes first, then the shadow, whatever the kind.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"server, INT", "server, TERM", "embedded, INT", "container, TERM"})
    void duringTheAtomicityCheck(String shadow, String signal) throws Exception {
        MavenBuild build = shadowed(MavenBuild.of("slow", "teardown-atomicity-" + signal + "-" + shadow), shadow, "postgresql")
                .arg("-Dschema.locations=filesystem:src/main/resources/db/atomicity");
        build.start();
        build.awaitLog("Atomicity: failing V2__slow_on_the_copy.sql");
        if (shadow.equals("server")) {
            awaitCopySleeping();
        }

        build.signal(signal);
        MavenBuild.Result result = build.waitForExit();

        assertInterrupted(result, signal);
        if (shadow.equals("server")) {
            // The copy is dropped before the scratch database it was made beside.
            assertThat(result.log()).containsSubsequence("Shadow removed: scratch database schema_rehearsal_",
                    "Shadow removed: scratch database schema_rehearsal_");
        }
        assertNothingLeft();
        assertNoEmbeddedData(build);
    }

    /**
     * The JVM ends as a signal ends it, and the log says in one line that the rehearsal was interrupted and at which
     * stage, without a stack trace or advice to look at the shadow's log.
     */
    private static void assertInterrupted(MavenBuild.Result result, String signal) {
        assertThat(result.exitCode()).as(result.log()).isEqualTo(signal.equals("INT") ? 130 : 143);
        assertThat(result.log()).contains("Interrupted during the migrate stage: the rehearsal stops and its shadow is removed")
                .doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain("check the shadow database's log")
                .doesNotContain("Could not remove").doesNotContain("migration-failed");
    }

    /** Until a second scratch database (the atomicity check's copy) runs the sleeping statement. */
    private static void awaitCopySleeping() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'schema\\_rehearsal\\_%' AND query LIKE '%pg_sleep%'"
                + " AND state = 'active'";
        while (true) {
            try (Connection connection = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword());
                 ResultSet rs = connection.createStatement().executeQuery(sql)) {
                rs.next();
                if (rs.getInt(1) > 0 && Leftovers.scratchDatabases(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(),
                        POSTGRES.getPassword()).size() == 2) {
                    return;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the atomicity check's copy never ran the sleeping statement");
            }
            Thread.sleep(200);
        }
    }

    /**
     * SIGKILL (a CI runner escalating after a timeout) runs no shutdown hook: the embedded server's watchdog sees the
     * JVM die, stops the server and deletes its folder.
     */
    @Test
    void afterTheBuildIsKilledTheWatchdogStopsTheEmbeddedServer() throws Exception {
        MavenBuild build = shadowed(MavenBuild.of("slow", "teardown-KILL-embedded"), "embedded", "postgresql");
        build.start();
        build.awaitLog("Applying V2__slow.sql");
        Path folder = embeddedFolder(build);
        ProcessHandle postmaster = postmaster(folder);

        build.signal("KILL");
        assertThat(build.waitForExit().exitCode()).isEqualTo(137);

        assertThat(postmaster.onExit()).as("the embedded server").succeedsWithin(Duration.ofMinutes(1));
        awaitGone(folder);
        assertNothingLeft();
    }

    /**
     * When the watchdog is killed with the build (or could not run), the next build's start stops the server the
     * killed build left, and deletes its folder.
     */
    @Test
    void afterTheBuildAndItsWatchdogAreKilledTheNextBuildStopsTheEmbeddedServer() throws Exception {
        MavenBuild build = shadowed(MavenBuild.of("slow", "teardown-KILL-embedded-watchdog"), "embedded", "postgresql");
        build.start();
        build.awaitLog("Applying V2__slow.sql");
        Path folder = embeddedFolder(build);
        ProcessHandle postmaster = postmaster(folder);
        List<ProcessHandle> watchdogs = ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("schema-rehearsal-watchdog " + folder)).orElse(false)).toList();
        assertThat(watchdogs).as("the server's watchdog").hasSize(1);

        watchdogs.get(0).destroyForcibly();
        assertThat(watchdogs.get(0).onExit()).succeedsWithin(Duration.ofSeconds(10));
        build.signal("KILL");
        build.waitForExit();
        Thread.sleep(2000);
        assertThat(postmaster.isAlive()).as("the killed build's server, which nothing stopped").isTrue();

        MavenBuild next = build.again();
        next.start();
        next.awaitLog("Removed an embedded PostgreSQL left by a killed build: " + folder);
        assertThat(postmaster.onExit()).as("the killed build's server").succeedsWithin(Duration.ofSeconds(10));
        assertThat(folder).doesNotExist();
        next.awaitLog("Applying V2__slow.sql");
        next.signal("INT");
        assertInterrupted(next.waitForExit(), "INT");
        assertNothingLeft();
        assertNoEmbeddedData(next);
    }

    /** The folder the build's embedded server runs from. */
    private static Path embeddedFolder(MavenBuild build) throws Exception {
        try (Stream<Path> files = Files.list(build.report(""))) {
            List<Path> folders = files.filter(p -> p.getFileName().toString().startsWith("embedded-postgres-")).toList();
            assertThat(folders).hasSize(1);
            return folders.get(0);
        }
    }

    /** The server running from the folder, as its {@code postmaster.pid} names it. */
    private static ProcessHandle postmaster(Path folder) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(folder.resolve("data/postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertThat(postmaster.info().commandLine()).hasValueSatisfying(c -> assertThat(c).contains(folder.toString()));
        return postmaster;
    }

    private static void awaitGone(Path folder) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Files.exists(folder)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(folder + " is still there");
            }
            Thread.sleep(200);
        }
    }

    /** The embedded server's data directory, kept in the report directory while it runs, is gone. */
    private static void assertNoEmbeddedData(MavenBuild build) throws Exception {
        Path reports = build.report("");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> files = Files.list(reports)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("embedded-postgres-"));
            }
        }
    }

    private static MavenBuild shadowed(MavenBuild build, String shadow, String engine) {
        build.arg("-Dschema.shadow=" + shadow).arg("-Dschema.engine=" + engine);
        if (shadow.equals("container")) {
            build.arg("-Dschema.engineVersion=" + (engine.equals("mariadb") ? "10.11" : "15"));
        }
        if (shadow.equals("server")) {
            boolean postgres = engine.equals("postgresql");
            build.arg("-Dschema.serverUrl=" + (postgres ? POSTGRES.getJdbcUrl() : MARIADB.getJdbcUrl()))
                    .arg("-Dschema.serverUser=" + (postgres ? POSTGRES.getUsername() : "root"))
                    .arg("-Dschema.serverPassword=" + (postgres ? POSTGRES.getPassword() : "root"));
        }
        return build;
    }

    private static void assertNothingLeft() throws Exception {
        assertThat(Leftovers.shadowContainers()).as("shadow containers").isEmpty();
        assertThat(Leftovers.embeddedServers()).as("embedded PostgreSQL servers").isEmpty();
        assertThat(Leftovers.scratchDatabases(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword()))
                .as("scratch databases on PostgreSQL").isEmpty();
        assertThat(Leftovers.scratchDatabases(MARIADB.getJdbcUrl(), "root", "root"))
                .as("scratch databases on MariaDB").isEmpty();
        try (Connection connection = DriverManager.getConnection(POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword());
             ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM production_data")) {
            assertThat(rs.next()).as("the server's own table is still there").isTrue();
        }
    }
}
