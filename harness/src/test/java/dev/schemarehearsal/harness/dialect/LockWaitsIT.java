package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.dialect.LockWaits.Wait;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.mariadb.MariaDBContainer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engines tell of a session waiting for a lock, read from a third session: the table and who holds it up
 * where the engine says so. A session holds a lock; another waits for it; the observer asks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockWaitsIT {
    private ShadowDatabase postgres;
    private ShadowDatabase mariaDb;

    @BeforeAll
    void start() {
        postgres = TestShadows.embedded("15");
        mariaDb = TestShadows.container(Engine.MARIADB, "mariadb:10.11");
    }

    @AfterAll
    void stop() {
        postgres.close();
        mariaDb.close();
    }

    @Test
    void postgresNamesTheTableAndTheSessionHoldingItsLock() throws Exception {
        try (ShadowDatabase scratch = TestShadows.scratch(postgres)) {
            setUp(scratch);
            LockWaits waits = scratch.dialect().lockWaits().orElseThrow();
            try (Connection holder = scratch.connect(Purpose.LOAD); Connection waiter = scratch.connect(Purpose.PROBE);
                 Connection observer = scratch.connect(Purpose.OBSERVER)) {
                holder.setAutoCommit(false);
                execute(holder, "LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
                Wait wait = waitFor(waits, observer, waiter, "SELECT * FROM held", holder);

                assertThat(wait.session()).isEqualTo(waits.session(waiter));
                assertThat(wait.table()).isEqualTo("held");
                assertThat(wait.blockers()).containsExactly(waits.session(holder));
            }
        }
    }

    @Test
    void mariaDbTellsAMetadataLockWaitAndARowLocksTableAndHolder() throws Exception {
        try (ShadowDatabase scratch = TestShadows.scratch(mariaDb)) {
            setUp(scratch);
            LockWaits waits = scratch.dialect().lockWaits().orElseThrow();
            try (Connection reader = scratch.connect(Purpose.LOAD); Connection alter = scratch.connect(Purpose.MIGRATION);
                 Connection waiter = scratch.connect(Purpose.PROBE); Connection observer = scratch.connect(Purpose.OBSERVER)) {
                // A reader's open transaction holds the table's metadata lock; an ALTER queues for it, the probe behind.
                reader.setAutoCommit(false);
                execute(reader, "SELECT * FROM held");
                long alterSession = waits.session(alter);
                CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> execute(alter,
                        "ALTER TABLE held ADD COLUMN c int"));
                Wait alterWaits = seen(waits, observer, alterSession);
                Wait wait = waitFor(waits, observer, waiter, "SELECT * FROM held", reader);
                queued.get(30, TimeUnit.SECONDS);

                assertThat(alterWaits.session()).isEqualTo(alterSession);
                assertThat(wait.session()).isEqualTo(waits.session(waiter));
                // Without performance_schema (MariaDB's default) the server names neither the table nor the holder.
                assertThat(wait.table()).isNull();
                assertThat(wait.blockers()).isEmpty();
            }
            try (Connection holder = scratch.connect(Purpose.LOAD); Connection waiter = scratch.connect(Purpose.PROBE);
                 Connection observer = scratch.connect(Purpose.OBSERVER)) {
                holder.setAutoCommit(false);
                execute(holder, "UPDATE held SET n = 2 WHERE id = 1");
                Wait wait = waitFor(waits, observer, waiter, "UPDATE held SET n = 3 WHERE id = 1", holder);

                assertThat(wait.table()).isEqualTo("held");
                assertThat(wait.blockers()).containsExactly(waits.session(holder));
            }
        }
    }

    @Test
    void mariaDbWithPerformanceSchemaNamesTheTableAndTheSessionsAhead() throws Exception {
        try (MariaDBContainer withPerformanceSchema = new MariaDBContainer("mariadb:10.11")
                .withCommand("--performance-schema=ON", "--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON")
                .withUsername("root")) {
            withPerformanceSchema.start();
            try (ShadowDatabase scratch = TestShadows.server(Engine.MARIADB, withPerformanceSchema.getJdbcUrl(),
                    "root", withPerformanceSchema.getPassword())) {
                setUp(scratch);
                LockWaits waits = scratch.dialect().lockWaits().orElseThrow();
                try (Connection reader = scratch.connect(Purpose.LOAD); Connection alter = scratch.connect(Purpose.MIGRATION);
                     Connection waiter = scratch.connect(Purpose.PROBE);
                     Connection observer = scratch.connect(Purpose.OBSERVER)) {
                    reader.setAutoCommit(false);
                    execute(reader, "SELECT * FROM held");
                    long alterSession = waits.session(alter);
                    CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> execute(alter,
                            "ALTER TABLE held ADD COLUMN c int"));
                    seen(waits, observer, alterSession);
                    Wait wait = waitFor(waits, observer, waiter, "SELECT * FROM held", reader, w -> w.table() != null);
                    queued.get(30, TimeUnit.SECONDS);

                    assertThat(wait.table()).isEqualTo("held");
                    // Every session with a lock on the table, granted or queued: the ALTER ahead of it among them.
                    assertThat(wait.blockers()).contains(alterSession);
                }
            }
        }
    }

    private static void setUp(ShadowDatabase scratch) throws SQLException {
        try (Connection connection = scratch.connect(Purpose.LOAD)) {
            execute(connection, "CREATE TABLE held (id int PRIMARY KEY, n int)");
            execute(connection, "INSERT INTO held VALUES (1, 1), (2, 2)");
        }
    }

    /** Runs the statement on the waiter until the observer sees it wait; then lets the holder go. */
    private static Wait waitFor(LockWaits waits, Connection observer, Connection waiter, String sql, Connection holder)
            throws Exception {
        return waitFor(waits, observer, waiter, sql, holder, wait -> true);
    }

    /** The same, until the observer sees the wait as {@code told}. */
    private static Wait waitFor(LockWaits waits, Connection observer, Connection waiter, String sql, Connection holder,
                                Predicate<Wait> told) throws Exception {
        long session = waits.session(waiter);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> execute(waiter, sql));
        try {
            return seen(waits, observer, session, told);
        } finally {
            holder.rollback();
            waiting.get(30, TimeUnit.SECONDS);
        }
    }

    /** What the observer sees the session wait for, once it does. */
    private static Wait seen(LockWaits waits, Connection observer, long session) throws Exception {
        return seen(waits, observer, session, wait -> true);
    }

    /**
     * What the observer sees the session wait for, once it sees it as {@code told}: the processlist may show a wait a
     * moment before performance_schema lists the pending lock with its table.
     */
    private static Wait seen(LockWaits waits, Connection observer, long session, Predicate<Wait> told) throws Exception {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; ) {
            List<Wait> seen = waits.waiting(observer, List.of(session));
            if (!seen.isEmpty() && told.test(seen.get(0))) {
                assertThat(seen).hasSize(1);
                return seen.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never saw session " + session + " wait");
    }

    private static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
