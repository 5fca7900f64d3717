package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.api.RehearsalListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each kind of shadow starts, answers, and leaves nothing behind once closed. */
class ShadowsIT {
    private static final String PROJECT = "/shadows-it/" + ProcessHandle.current().pid();

    @Test
    void embeddedPostgresStartsTheChosenMajorVersionAndStopsItsProcess(@TempDir Path work) throws Exception {
        for (String major : List.of("15", "18")) {
            String jar = PostgresBinaries.release(major);
            EmbeddedShadow shadow = new EmbeddedShadow(EmbeddedBinariesInLocalRepository.standard()
                    .resolve(PostgresBinaries.artifactId(), jar), work.resolve("pg" + major), RehearsalListener.NONE).start();
            String url = shadow.endpoint().url();
            try (Connection connection = shadow.connect(Purpose.CATALOG)) {
                assertThat(connection.getMetaData().getDatabaseProductVersion()).startsWith(major + ".");
                assertThat(serverProcesses(url)).isNotEmpty();
                assertThat(watchdogs(work)).as("the server's watchdog").hasSize(1);
            } finally {
                shadow.close();
            }
            assertThat(serverProcesses(url)).isEmpty();
            assertThat(work.resolve("pg" + major)).isEmptyDirectory();
            for (ProcessHandle watchdog : watchdogs(work)) {
                assertThat(watchdog.onExit()).as("the watchdog, dismissed, ends").succeedsWithin(Duration.ofSeconds(10));
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres").close())
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void containersAreRemovedOnClose() throws Exception {
        for (Engine engine : List.of(Engine.POSTGRESQL, Engine.MARIADB)) {
            ContainerShadow shadow = new ContainerShadow(engine, engine == Engine.POSTGRESQL ? "postgres:15" : "mariadb:10.11",
                    PROJECT, RehearsalListener.NONE).start();
            try (Connection connection = shadow.connect(Purpose.CATALOG)) {
                assertThat(connection.isValid(5)).isTrue();
                assertThat(shadowContainers()).hasSize(1);
            } finally {
                shadow.close();
            }
            assertThat(shadowContainers()).isEmpty();
        }
    }

    @Test
    void serverShadowDropsOnlyItsScratchDatabase() throws Exception {
        try (PostgreSQLContainer server = new PostgreSQLContainer("postgres:15")) {
            server.start();
            try (Connection admin = server.createConnection(""); Statement statement = admin.createStatement()) {
                statement.execute("CREATE TABLE keep_me (id int)");
                ServerShadow shadow = new ServerShadow(Engine.POSTGRESQL, server.getJdbcUrl(), server.getUsername(),
                        server.getPassword(), RehearsalListener.NONE).start();
                assertThat(shadow.scratchDatabase()).startsWith(ServerShadow.PREFIX);
                try (Connection scratch = shadow.connect(Purpose.CATALOG)) {
                    assertThat(scratch.getCatalog()).isEqualTo(shadow.scratchDatabase());
                    // A session still open when the shadow closes must not keep the scratch database alive.
                    shadow.close();
                }
                assertThat(dialectDatabases(admin, Engine.POSTGRESQL)).isEmpty();
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM keep_me")) {
                    assertThat(rs.next()).isTrue();
                }
            }
        }
        try (MariaDBContainer server = new MariaDBContainer("mariadb:10.11").withUsername("root").withPassword("x")) {
            server.start();
            ServerShadow shadow = new ServerShadow(Engine.MARIADB, server.getJdbcUrl(), "root", "x", RehearsalListener.NONE).start();
            try (Connection scratch = shadow.connect(Purpose.CATALOG)) {
                assertThat(scratch.getCatalog()).isEqualTo(shadow.scratchDatabase());
                shadow.close();
            }
            try (Connection admin = server.createConnection("")) {
                assertThat(dialectDatabases(admin, Engine.MARIADB)).isEmpty();
            }
        }
    }

    @Test
    void aScratchCopyIsDroppedThroughTheServerEvenWhenTheShadowBesideItIsGoneFirst() throws Exception {
        try (PostgreSQLContainer server = new PostgreSQLContainer("postgres:15")) {
            server.start();
            ServerShadow shadow = new ServerShadow(Engine.POSTGRESQL, server.getJdbcUrl(), server.getUsername(),
                    server.getPassword(), RehearsalListener.NONE).start();
            ShadowDatabase copy = shadow.scratchBeside();
            try (Connection admin = server.createConnection("")) {
                assertThat(dialectDatabases(admin, Engine.POSTGRESQL)).hasSize(2);
                shadow.close();
                copy.close();
                assertThat(dialectDatabases(admin, Engine.POSTGRESQL)).isEmpty();
            }
        }
    }

    private static List<String> dialectDatabases(Connection admin, Engine engine) throws SQLException {
        return dev.schemarehearsal.harness.dialect.Dialect.of(engine).databasesStartingWith(admin, ServerShadow.PREFIX);
    }

    /** Server processes listening on the URL's port. */
    static List<ProcessHandle> serverProcesses(String jdbcUrl) {
        String port = jdbcUrl.replaceAll(".*://[^:/]+:(\\d+)/.*", "$1");
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains("-p " + port)).orElse(false))
                .toList();
    }

    /** The watchdogs of the embedded servers whose folders are under the directory. */
    private static List<ProcessHandle> watchdogs(Path directory) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("schema-rehearsal-watchdog " + directory)).orElse(false)).toList();
    }

    static List<?> shadowContainers() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dev.schemarehearsal.project", PROJECT)).exec();
    }
}
