package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The history kept in a real database, PostgreSQL 15 and MariaDB 10.11, each test on a database of its own: the table
 * is made on first use beside the application's tables and touches nothing else; runs are marked against the previous
 * one; two jobs that start at once on a database without the table both create it, append and apply the retention
 * without losing or breaking a record; records of a newer tool or unreadable ones are skipped and never deleted; a
 * table of the same name that the tool didn't make is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryStoreIT {
    private static final Finding LOCK = Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 1, "orders", "blocks writes");
    private static final Finding DROP = Finding.ofMigration(Rule.DESTRUCTIVE_CHANGE, "12", 1, "orders", "drops");

    private final Map<Engine, ShadowDatabase> servers = new EnumMap<>(Engine.class);

    @TempDir
    Path project;

    @BeforeAll
    void start() {
        servers.put(Engine.POSTGRESQL, TestShadows.container(Engine.POSTGRESQL, "postgres:15"));
        servers.put(Engine.MARIADB, TestShadows.container(Engine.MARIADB, "mariadb:10.11"));
    }

    @AfterAll
    void stop() {
        servers.values().forEach(ShadowDatabase::close);
    }

    private static RehearsalConfig.History config(ShadowDatabase database, int keep) {
        ShadowDatabase.Endpoint endpoint = database.endpoint();
        return RehearsalConfig.History.parse(Path.of("."), endpoint.url(), endpoint.user(), endpoint.password(), keep);
    }

    /** One run of the branch against the history: open, mark, compare, append. */
    private static RehearsalResult run(RehearsalConfig.History config, Revision revision, List<Finding> findings,
                                       RehearsalListener listener) {
        History history = History.open(config, revision, listener);
        List<Finding> marked = history.mark(Fingerprints.assign(findings, List.of(Runs.v12(400, null))));
        RehearsalResult result = Runs.result(List.of(Runs.v12(400, null)), List.of(), List.of());
        History.Compared compared = history.compare(new RehearsalResult(result.tool(), result.verdict(),
                result.shadow(), result.phases(), result.data(), result.migrations(), marked, List.of(),
                result.timeline(), result.backfills(), result.lint(), result.disagreements(), result.queries(),
                result.fidelity()), Runs.statistics(120_000_000), null);
        history.append(compared.record());
        return compared.result();
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void keepsRunsInATableOfItsOwnAndMarksThem(Engine engine) throws Exception {
        try (ShadowDatabase database = TestShadows.scratch(servers.get(engine));
             Connection session = database.connect(Purpose.CATALOG); Statement statement = session.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, total int NOT NULL)");
            statement.execute("INSERT INTO orders VALUES (1, 10), (2, 20)");
            List<RehearsalEvent> events = new ArrayList<>();

            RehearsalResult first = run(config(database, 90), Runs.MAIN, List.of(LOCK, DROP), events::add);
            RehearsalResult second = run(config(database, 90), Runs.MAIN, List.of(LOCK), events::add);

            assertThat(first.findings()).extracting(Finding::history).containsOnly(Novelty.NEW);
            assertThat(second.findings()).extracting(Finding::history).containsExactly(Novelty.KNOWN);
            assertThat(second.resolvedFindings()).extracting(Finding::rule).containsExactly(Rule.DESTRUCTIVE_CHANGE);
            assertThat(second.history().previous().commit()).isEqualTo(Runs.MAIN.commit());
            assertThat(second.trends().tables()).extracting(RehearsalResult.Trend::name).contains("orders");
            try (ResultSet rows = statement.executeQuery("SELECT branch, git_commit, verdict, format, record FROM "
                    + DatabaseStore.TABLE + " ORDER BY id")) {
                int n = 0;
                while (rows.next()) {
                    n++;
                    assertThat(rows.getString(1)).isEqualTo("main");
                    assertThat(rows.getString(2)).isEqualTo(Runs.MAIN.commit());
                    assertThat(rows.getInt(4)).isEqualTo(RunRecord.FORMAT);
                    assertThat(rows.getString(5)).contains("\"fingerprint\"");
                }
                assertThat(n).isEqualTo(2);
            }
            try (ResultSet orders = statement.executeQuery("SELECT count(*), sum(total) FROM orders")) {
                orders.next();
                assertThat(orders.getInt(1)).isEqualTo(2);
                assertThat(orders.getInt(2)).isEqualTo(30);
            }
            assertThat(tables(session)).containsExactlyInAnyOrder("orders", DatabaseStore.TABLE);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void twoJobsAtOnceBothCreateAppendAndKeepTheRetention(Engine engine) throws Exception {
        int keep = 5;
        int runsEach = 12;
        try (ShadowDatabase database = TestShadows.scratch(servers.get(engine))) {
            RehearsalConfig.History config = config(database, keep);
            CyclicBarrier start = new CyclicBarrier(2);
            List<String> warnings = new CopyOnWriteArrayList<>();
            ExecutorService jobs = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> both = new ArrayList<>();
                for (int job = 0; job < 2; job++) {
                    both.add(jobs.submit(() -> {
                        start.await(); // both find no table, and race to create it
                        for (int i = 0; i < runsEach; i++) {
                            run(config, Runs.MAIN, List.of(LOCK), event -> {
                                if (event.level() == RehearsalEvent.Level.WARN) {
                                    warnings.add(event.message());
                                }
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> job : both) {
                    job.get(); // rethrows a job's failure
                }
            } finally {
                jobs.shutdownNow();
            }

            Records.Reading reading = Store.of(config).read();
            assertThat(warnings).isEmpty();
            assertThat(reading.skipped()).isEmpty();
            // Each job deletes beyond keep from what it read: racing with the other, one more may remain.
            assertThat(reading.runs()).hasSizeBetween(keep, keep + 1);
            assertThat(reading.runs()).extracting(Records.Stored::id).doesNotHaveDuplicates();
            try (Connection session = database.connect(Purpose.CATALOG); Statement statement = session.createStatement();
                 ResultSet ids = statement.executeQuery("SELECT max(id) FROM " + DatabaseStore.TABLE)) {
                ids.next();
                // Every run of both jobs got a row of its own.
                assertThat(ids.getLong(1)).isGreaterThanOrEqualTo(2L * runsEach);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void recordsItCannotReadAreSkippedAndNeverDeleted(Engine engine) throws Exception {
        try (ShadowDatabase database = TestShadows.scratch(servers.get(engine))) {
            RehearsalConfig.History config = config(database, 1);
            run(config, Runs.MAIN, List.of(LOCK), RehearsalListener.NONE);
            try (Connection session = database.connect(Purpose.CATALOG);
                 PreparedStatement insert = session.prepareStatement("INSERT INTO " + DatabaseStore.TABLE
                         + " (recorded_at, branch, git_commit, verdict, format, record) VALUES (?, 'main', NULL, ?, ?, ?)")) {
                insert.setString(1, "2020-01-01T00:00:00.000Z");
                insert.setString(2, "pass");
                insert.setInt(3, 9);
                insert.setString(4, "{\"format\": 9, \"at\": \"2020-01-01T00:00:00.000Z\", \"branch\": \"main\"}");
                insert.executeUpdate();
                insert.setInt(3, 1);
                insert.setString(4, "{\"format\": 1, \"at\": ");
                insert.executeUpdate();
            }
            List<RehearsalEvent> events = new ArrayList<>();
            run(config, Runs.MAIN, List.of(LOCK), events::add);
            run(config, Runs.MAIN, List.of(LOCK), events::add);

            Records.Reading reading = Store.of(config).read();
            assertThat(reading.runs()).hasSize(1);
            assertThat(reading.skipped()).hasSize(2);
            assertThat(events).filteredOn(e -> e.level() == RehearsalEvent.Level.WARN)
                    .extracting(RehearsalEvent::message)
                    .anyMatch(m -> m.contains("was written by a newer schema-rehearsal (format 9; this version reads "
                            + "up to 1): skipped, left in place"))
                    .anyMatch(m -> m.contains("is unreadable (not JSON: "));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void refusesATableOfTheSameNameItDidNotMake(Engine engine) throws Exception {
        try (ShadowDatabase database = TestShadows.scratch(servers.get(engine));
             Connection session = database.connect(Purpose.CATALOG); Statement statement = session.createStatement()) {
            statement.execute("CREATE TABLE " + DatabaseStore.TABLE + " (id int PRIMARY KEY, note varchar(20))");
            statement.execute("INSERT INTO " + DatabaseStore.TABLE + " VALUES (1, 'mine')");

            assertThatThrownBy(() -> History.open(config(database, 90), Runs.MAIN, RehearsalListener.NONE))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.parameter()).isEqualTo("history");
                        assertThat(e.getMessage()).contains("was not made by schema-rehearsal");
                    });
            try (ResultSet rows = statement.executeQuery("SELECT note FROM " + DatabaseStore.TABLE)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("mine");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    private static List<String> tables(Connection session) throws SQLException {
        List<String> tables = new ArrayList<>();
        String schema = session.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres") ? "public" : null;
        try (ResultSet rows = session.getMetaData().getTables(session.getCatalog(), schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        return tables;
    }
}
