package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The readers run the project's queries on embedded PostgreSQL, and live through a query the schema breaks. */
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
                assertThat(probes.failures().get("by_c")).isGreaterThan(5);
                assertThat(probes.ran().stream().filter(p -> !p.write() && p.startNanos() > renamedAt).count())
                        .isGreaterThan(20);
                assertThat(probes.ran().stream().filter(p -> p.write() && p.startNanos() > renamedAt).count())
                        .isPositive();
            } finally {
                probes.stop();
            }
        }
    }
}
