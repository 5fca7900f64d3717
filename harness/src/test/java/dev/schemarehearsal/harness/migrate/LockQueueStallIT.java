package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Window;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.mariadb.MariaDBContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A metadata-only ALTER stuck behind a long reader shows as a probe stall: another session holds a read transaction
 * open on the table for {@value #HOLD_MS} ms while the migration's ALTER waits for its exclusive (metadata) lock, and
 * every probe that comes after queues behind the ALTER. Without a lock timeout the ALTER waits for the reader; with
 * a long one it waits too; with one shorter than the reader it gives up, fails the migration, and the probes stalled until then.
 * The quick statements after the ALTER (an index made and dropped, over and over, on a table of their own) overlap the
 * stall in time, but the probes waited for the ALTER's lock: one finding, on its lock window. MariaDB names the table
 * waited on only with performance_schema on (without it the probe's own table says which window), so it runs both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockQueueStallIT {
    private static final long HOLD_MS = 1500;
    /** Quick statements after the ALTER: each makes an index, then drops it. */
    private static final int QUICK = 15;

    private final Map<String, ShadowDatabase> servers = new LinkedHashMap<>();
    /** MariaDB with performance_schema, which names the table a metadata lock wait is on and the sessions ahead. */
    private final MariaDBContainer withPerformanceSchema = new MariaDBContainer("mariadb:10.11")
            .withCommand("--performance-schema=ON", "--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON")
            .withUsername("root");

    @BeforeAll
    void start() {
        servers.put("postgresql-15", TestShadows.embedded("15"));
        servers.put("mariadb-10.11", TestShadows.container(Engine.MARIADB, "mariadb:10.11"));
        withPerformanceSchema.start();
        servers.put("mariadb-10.11-performance-schema", TestShadows.server(Engine.MARIADB,
                withPerformanceSchema.getJdbcUrl(), "root", withPerformanceSchema.getPassword()));
    }

    @AfterAll
    void stop() {
        servers.values().forEach(ShadowDatabase::close);
        withPerformanceSchema.stop();
    }

    @ParameterizedTest(name = "{0}, lock timeout {1} ms")
    @CsvSource({"postgresql-15, 0", "postgresql-15, 5000", "postgresql-15, 1000",
            "mariadb-10.11, 0", "mariadb-10.11, 5000", "mariadb-10.11, 1000", "mariadb-10.11-performance-schema, 0"})
    void aMetadataOnlyAlterBehindALongReaderStallsTheProbes(String server, long timeoutMs, @TempDir Path folder)
            throws Exception {
        ShadowDatabase scratch = TestShadows.scratch(servers.get(server));
        boolean postgres = scratch.engine() == Engine.POSTGRESQL;
        Files.writeString(folder.resolve("V1__table.sql"), "CREATE TABLE queued (id int PRIMARY KEY, n int);\n"
                + "INSERT INTO queued VALUES (1, 1), (2, 2), (3, 3);\n");
        // lock_wait_timeout is in whole seconds.
        String timeout = timeoutMs == 0 ? "" : postgres ? "SET lock_timeout = '" + timeoutMs + "ms';\n"
                : "SET SESSION lock_wait_timeout = " + timeoutMs / 1000 + ";\n";
        StringBuilder quick = new StringBuilder("CREATE TABLE side (id int);\n");
        for (int i = 0; i < QUICK; i++) {
            quick.append("CREATE INDEX side_").append(i).append(" ON side (id);\nDROP INDEX side_").append(i)
                    .append(postgres ? "" : " ON side").append(";\n");
        }
        Files.writeString(folder.resolve("V2__add_column.sql"), timeout + "ALTER TABLE queued ADD COLUMN c int;\n" + quick);
        try (scratch; Connection reader = scratch.connect(Purpose.LOAD)) {
            MigrationRunner runner = new MigrationRunner(new FlywayMigrations(List.of("filesystem:" + folder), scratch), scratch,
                RehearsalListener.NONE);
            var pending = runner.migrateToBaseline("1");
            reader.setAutoCommit(false);
            try (Statement read = reader.createStatement()) {
                read.executeQuery("SELECT * FROM queued WHERE id = 1").close();
            }
            // The reader ends HOLD_MS after the ALTER starts waiting for it, however long the rehearsal took to get there.
            String waiting = postgres ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE 'ALTER TABLE queued%'" : "SELECT count(*) FROM information_schema.processlist "
                    + "WHERE state = 'Waiting for table metadata lock' AND info LIKE 'ALTER TABLE queued%'";
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try (Connection watcher = scratch.connect(Purpose.LOAD); Statement poll = watcher.createStatement()) {
                    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline; ) {
                        try (var rs = poll.executeQuery(waiting)) {
                            if (rs.next() && rs.getInt(1) > 0) {
                                break;
                            }
                        }
                        Thread.sleep(10);
                    }
                    Thread.sleep(HOLD_MS);
                    reader.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            MigrationRunner.Outcome outcome = runner.applyPending(pending, 1000, 500);
            release.get();
            List<Finding> findings = new ArrayList<>(outcome.findings());
            findings.addAll(new WindowFindings(scratch.dialect(), 1000, 500).of(outcome.migrations(), null));

            MigrationResult migration = outcome.migrations().get(0);
            StatementResult alter = migration.statements().stream().filter(s -> s.sql().startsWith("ALTER TABLE queued"))
                    .findFirst().orElseThrow();
            System.out.printf("%s, lock timeout %d ms: ALTER %s after %d ms, longest probe stall %d ms%n", server,
                    timeoutMs, migration.status(), alter.durationMs(), alter.probeStallMs());
            // Every case stalls the probes longer than maxStallMs (500 ms).
            assertThat(alter.probeStallMs()).isGreaterThan(500);
            if (timeoutMs == 0 || timeoutMs > HOLD_MS) {
                // Waited for the reader, and the probes behind it waited as long.
                assertThat(migration.status()).isEqualTo(MigrationStatus.APPLIED);
                assertThat(alter.durationMs()).isGreaterThanOrEqualTo(HOLD_MS);
                assertThat(alter.probeStallMs()).isGreaterThanOrEqualTo(HOLD_MS - 100);
                assertThat(migration.statements()).hasSize(alter.index() + 1 + 2 * QUICK);
                // One stall, one finding: on the ALTER's lock window, none on the statements that merely overlapped it.
                assertThat(findings).filteredOn(f -> f.rule() == Rule.BLOCKING_LOCK).singleElement().satisfies(f -> {
                    assertThat(f.statement()).isEqualTo(alter.index());
                    assertThat(f.table()).isEqualTo("queued");
                    assertThat(f.message()).contains("stalled the probe workload");
                });
                Window window = migration.windows().stream().filter(w -> w.table().equals("queued")).findFirst()
                        .orElseThrow();
                assertThat(window.fromStatement()).isEqualTo(alter.index());
                assertThat(window.probeStallMs()).isGreaterThanOrEqualTo(HOLD_MS - 100);
                if (!postgres) {
                    // DDL commits implicitly: the quick statements held no lock of the ALTER's, and caused no stall.
                    assertThat(window.toStatement()).isEqualTo(alter.index());
                    assertThat(migration.statements().subList(alter.index(), migration.statements().size()))
                            .allSatisfy(s -> assertThat(s.probeStallMs()).as(s.sql()).isZero());
                } else {
                    // In one transaction the quick statements ran under the ALTER's lock, to the commit.
                    assertThat(window.toStatement()).isEqualTo(migration.statements().size());
                }
            } else {
                // Gave up after the timeout; the probes queued behind it until then.
                assertThat(migration.status()).isEqualTo(MigrationStatus.FAILED);
                assertThat(alter.error()).isNotNull();
                assertThat(findings).anyMatch(f -> f.rule() == Rule.MIGRATION_FAILED);
            }
        }
    }
}
