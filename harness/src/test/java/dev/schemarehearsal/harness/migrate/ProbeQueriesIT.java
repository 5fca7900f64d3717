package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readers run the project's queries on embedded PostgreSQL, live through a query the schema breaks, and probe
 * tables whatever their names.
 */
class ProbeQueriesIT {

    @Test
    void aQueryBrokenMidMigrationIsCountedAndTheReadersCarryOn() throws Exception {
        try (ShadowDatabase shadow = TestShadows.embedded("15"); Connection connection = shadow.connect(Purpose.LOAD)) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE t (id int PRIMARY KEY, c int)");
                ddl.execute("INSERT INTO t SELECT n, n FROM generate_series(1, 2000) n");
            }
            Query byC = new Query("by_c", "SELECT id FROM t WHERE c < 1000", 3, Path.of("queries.sql"), 1);
            Query broken = new Query("broken", "SELECT nope FROM t", 1, Path.of("queries.sql"), 4);
            Map<String, String> failing = new TreeMap<>();
            Map<String, Long> usual = Probes.usualNanos(connection, List.of(byC, broken), failing);
            // A query failing before the migrations is left out of the workload, with the engine's reason.
            assertThat(usual).containsOnlyKeys("by_c");
            assertThat(usual.get("by_c")).isPositive();
            assertThat(failing.get("broken")).contains("nope");

            List<Probes.Target> targets = Probes.targets(Dialect.of(Engine.POSTGRESQL), connection, List.of("t"));
            Probes probes = Probes.start(Probes.round(targets, List.of(byC), usual), targets, shadow);
            try {
                Thread.sleep(300);
                assertThat(probes.failures()).isEmpty();
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("ALTER TABLE t RENAME COLUMN c TO d");
                }
                long renamedAt = System.nanoTime();
                Thread.sleep(500);
                // The query fails from now on; both readers keep probing (the one-row reads still succeed).
                assertThat(probes.failures().get("by_c").count()).isGreaterThan(5);
                assertThat(probes.failures().get("by_c").first()).contains("column \"c\" does not exist");
                assertThat(probes.ran().stream().filter(p -> !p.write() && p.startNanos() > renamedAt).count())
                        .isGreaterThan(20);
                assertThat(probes.ran().stream().filter(p -> p.write() && p.startNanos() > renamedAt).count())
                        .isPositive();
            } finally {
                probes.stop();
            }
        }
    }

    /**
     * A table whatever its name is probed: each pending migration holds a lock on one table while the probes run, and
     * the probes of that table queue behind it, which is the stall its statement records. A table the probes missed
     * would show none.
     */
    @Test
    void tablesAreProbedWhateverTheirNames(@TempDir Path project) throws Exception {
        List<String> tables = List.of("#tmp", "(draft)", "Order Items", "order-items", "v1.2", "\uD83C\uDF55");
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        StringBuilder baseline = new StringBuilder();
        for (String table : tables) {
            baseline.append("CREATE TABLE \"").append(table).append("\" (id int PRIMARY KEY, n int);\n")
                    .append("INSERT INTO \"").append(table).append("\" SELECT g, g FROM generate_series(1, 100) g;\n");
        }
        Files.writeString(migrations.resolve("V1__baseline.sql"), baseline);
        for (int i = 0; i < tables.size(); i++) {
            Files.writeString(migrations.resolve("V" + (i + 2) + "__lock.sql"), "SET lock_timeout = '5s';\n"
                    + "LOCK TABLE \"" + tables.get(i) + "\" IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(0.8);\n");
        }
        Files.createDirectories(project.resolve("src/rehearsal"));
        Files.writeString(project.resolve("src/rehearsal/queries.sql"),
                "-- name: pizza\nSELECT * FROM \"\uD83C\uDF55\" WHERE id < 10;\n");
        List<RehearsalEvent> events = new ArrayList<>();

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion("15")
                .baseline("1").failOn("none").load().run(events::add);

        List<String> log = events.stream().map(RehearsalEvent::message).toList();
        assertThat(log).contains("Probes: 2 readers and 1 writer on #tmp, (draft), Order Items, order-items, v1.2, "
                + "\uD83C\uDF55; queries run: pizza");
        assertThat(log).noneMatch(m -> m.startsWith("Probe ") && m.contains(" failed "));
        assertThat(result.migrations()).hasSize(tables.size()).allSatisfy(migration ->
                assertThat(migration.statements().get(2).probeStallMs()).as(migration.script()).isGreaterThan(400));
    }

    /**
     * PostgreSQL's driver prepares a statement on the server once it ran a few times; a server-side prepared
     * {@code SELECT *} then fails once the table's columns change ("cached plan must not change result type"). The
     * probes plan each statement as it runs, so such a change fails none of them.
     */
    @Test
    void aColumnAddedUnderSelectStarFailsNoProbe() throws Exception {
        try (ShadowDatabase shadow = TestShadows.embedded("15"); Connection connection = shadow.connect(Purpose.MIGRATION)) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE t (id int PRIMARY KEY, c int)");
                ddl.execute("INSERT INTO t SELECT n, n FROM generate_series(1, 100) n");
            }
            Query all = new Query("all", "SELECT * FROM t WHERE id < 10", 1, Path.of("queries.sql"), 1);
            Map<String, Long> usual = Probes.usualNanos(connection, List.of(all), new TreeMap<>());
            List<Probes.Target> targets = Probes.targets(Dialect.of(Engine.POSTGRESQL), connection, List.of("t"));
            Probes probes = Probes.start(Probes.round(targets, List.of(all), usual), targets, shadow);
            try {
                // Long enough for every read to run more often than the driver's threshold for preparing on the server.
                Thread.sleep(400);
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("ALTER TABLE t ADD COLUMN d int");
                }
                long addedAt = System.nanoTime();
                Thread.sleep(400);
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("ALTER TABLE t DROP COLUMN c");
                }
                Thread.sleep(400);
                assertThat(probes.ran().stream().filter(p -> !p.write() && p.startNanos() > addedAt).count())
                        .isGreaterThan(20);
                assertThat(probes.failures()).isEmpty();
            } finally {
                probes.stop();
            }
        }
    }
}
