package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Statistics;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.TableRows;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance corpus: single-statement migrations (src/test/resources/acceptance/*-corpus.tsv), each on a table
 * of its own, rehearsed on embedded PostgreSQL 15 and 18, a postgres:15 container and a mariadb:10.11 container.
 * Each statement's expected verdict (rewrite, lock mode, which of reads and writes it blocks; *-expected.tsv) was
 * established by measuring it on the engine with a method independent of the rehearsal's, which this test runs again
 * on every engine before the rehearsal, on a scratch database of its own:
 * <ul>
 * <li>PostgreSQL, a statement that runs in a transaction: session A opens a transaction and runs it; session B, with
 * {@code lock_timeout = 200ms}, tries {@code SELECT … LIMIT 1} and an {@code INSERT} of one row (rolled back): a lock
 * timeout (SQLSTATE 55P03) means the statement blocks reads or writes. The mode is the strongest lock A holds on the
 * table (pg_locks); rewrite means the table's relfilenode inside A's transaction differs from before. A rolls back.
 * <li>PostgreSQL, a statement outside a transaction (CONCURRENTLY, VACUUM): session H holds SHARE UPDATE EXCLUSIVE on
 * the table, which blocks neither reads nor writes but makes every such statement queue; while A's statement waits,
 * its requested mode shows in pg_locks and B's SELECT and INSERT with {@code lock_timeout} tell whether they queue
 * behind it. H commits, A finishes, and the relfilenodes are compared.
 * <li>MariaDB (DDL commits implicitly, so it can't be held open): tables of 100,000 rows; A runs the statement while
 * B polls A's state in the process list; while A is in a copying or altering state, B tries a SELECT and an INSERT
 * (rolled back) with {@code lock_wait_timeout = 0}: a lock wait timeout means blocked. A statement that ends before
 * any such state was seen blocked nobody for longer than its brief metadata lock. The mode is named after MariaDB's
 * LOCK clause: NONE, SHARED (blocks writes), EXCLUSIVE (blocks both). Rewrite means InnoDB's space id changed.
 * </ul>
 * The expected findings are the SPEC rules these verdicts raise, with production row counts a million times the
 * shadow's so that long-lock-at-scale shows wherever a blocking lock's work grows with the table; a lock already
 * longer than maxLockMs on the shadow raises blocking-lock instead, which depends on the machine's speed, so the
 * two count as one here (LockQueueStallIT and StatementTracingIT assert blocking-lock itself).
 */
class AcceptanceCorpusIT {
    static {
        // The JDBC driver gives each PostgreSQL session the JVM's time zone, and whether timestamptz → timestamp
        // rewrites depends on it (not in UTC): every session of this test, measuring or rehearsing, runs in UTC.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
    }

    private static final List<String> LOCK_STRENGTH = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
            "LOCK=NONE", "LOCK=SHARED", "LOCK=EXCLUSIVE");

    /** One corpus entry. */
    record Entry(String name, boolean transactional, String setup, String sql) { }

    /** A statement's verdict: rewrite, strongest lock mode on its table ({@code -} for none), what it blocks. */
    record Verdict(boolean rewrite, String mode, Set<Access> blocks) {
        @Override
        public String toString() {
            return (rewrite ? "rewrite" : "no-rewrite") + "\t" + mode + "\t" + AcceptanceCorpusIT.blocks(blocks);
        }
    }

    /** The expected verdict and findings of an entry. */
    record Expected(Verdict verdict, Set<Rule> findings) { }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres-embedded-15", "postgres-embedded-18", "postgres-container-15",
            "mariadb-container-10.11"})
    void everyVerdictAgreesWithTheEngine(String server, @TempDir Path folder) throws Exception {
        boolean postgres = server.startsWith("postgres");
        String family = postgres ? "postgresql" : "mariadb";
        List<Entry> corpus = corpus(family);
        Map<String, Expected> expected = expected(family);
        int rows = postgres ? 20_000 : 100_000;
        String baseline = baseline(postgres, corpus, rows);
        try (ShadowDatabase shadow = start(server)) {
            Map<String, Verdict> measured = new LinkedHashMap<>();
            try (ShadowDatabase scratch = TestShadows.scratch(shadow); Connection connection = scratch.connect(Purpose.LOAD)) {
                execute(connection, baseline);
                for (Entry entry : corpus) {
                    measured.put(entry.name, postgres ? measurePostgres(scratch, entry) : measureMariaDb(scratch, entry));
                }
            }
            Map<String, StatementResult> rehearsed = new LinkedHashMap<>();
            Map<String, Set<Rule>> findings = new LinkedHashMap<>();
            try (ShadowDatabase scratch = TestShadows.scratch(shadow)) {
                rehearse(scratch, folder, baseline, corpus, rows, rehearsed, findings);
            }

            int agreed = 0;
            List<String> disagreements = new ArrayList<>();
            for (Entry entry : corpus) {
                Expected want = expected.get(entry.name);
                StatementResult statement = rehearsed.get(entry.name);
                Verdict got = verdict(statement, entry.name, !postgres);
                System.out.printf("%s\t%s\tmeasured: %s\trehearsed: %s\t%s\t%s%n", server, entry.name,
                        measured.get(entry.name), got, rules(findings.get(entry.name)), statement.algorithm());
                if (want == null) {
                    disagreements.add(entry.name + ": no expected verdict");
                    continue;
                }
                boolean independent = want.verdict.equals(measured.get(entry.name));
                boolean rehearsal = want.verdict.equals(got) && want.findings.equals(findings.get(entry.name));
                if (!independent) {
                    disagreements.add(entry.name + ": the independent measurement gives " + measured.get(entry.name)
                            + ", expected " + want.verdict);
                }
                if (!rehearsal) {
                    disagreements.add(entry.name + ": the rehearsal gives " + got + " " + rules(findings.get(entry.name))
                            + ", expected " + want.verdict + " " + rules(want.findings));
                }
                agreed += independent && rehearsal ? 1 : 0;
            }
            System.out.printf("%s: %d/%d agree%n", server, agreed, corpus.size());
            assertThat(disagreements).isEmpty();
        }
    }

    private static ShadowDatabase start(String server) {
        return switch (server) {
            case "postgres-embedded-15" -> TestShadows.embedded("15");
            case "postgres-embedded-18" -> TestShadows.embedded("18");
            case "postgres-container-15" -> TestShadows.container(Engine.POSTGRESQL, "postgres:15");
            case "mariadb-container-10.11" -> TestShadows.container(Engine.MARIADB, "mariadb:10.11");
            default -> throw new IllegalArgumentException(server);
        };
    }

    /** The rehearsal of the whole corpus on one database: the baseline, then one migration per entry. */
    private static void rehearse(ShadowDatabase scratch, Path folder, String baseline, List<Entry> corpus, int rows,
                                 Map<String, StatementResult> rehearsed, Map<String, Set<Rule>> findings)
            throws IOException {
        Files.writeString(folder.resolve("V1__baseline.sql"), baseline);
        for (int i = 0; i < corpus.size(); i++) {
            Entry entry = corpus.get(i);
            Path file = folder.resolve("V" + (i + 2) + "__" + entry.name + ".sql");
            Files.writeString(file, entry.sql + ";\n");
            if (!entry.transactional) {
                Files.writeString(Path.of(file + ".conf"), "executeInTransaction=false\n");
            }
        }
        FlywayMigrations source = new FlywayMigrations(List.of("filesystem:" + folder), scratch);
        MigrationRunner runner = new MigrationRunner(source, scratch, RehearsalListener.NONE);
        List<Migration> pending = runner.migrateToBaseline("1");
        List<TableRows> sizes = new ArrayList<>(corpus.stream()
                .map(e -> new TableRows(e.name, rows * 1_000_000L, rows)).toList());
        sizes.add(new TableRows("parent", 100, 100));
        Statistics production = new Statistics("corpus", sizes, List.of());
        ProductionEstimates.Outcome estimated;
        List<Finding> all;
        // Calibrated on copies of the baseline, as a rehearsal does.
        try (ShadowDatabase copy = scratch.scratchCopy(table -> true)) {
            // Probe stalls depend on the machine's load (a whole-table UPDATE holds the writer probe's row for as long
            // as it runs); LockQueueStallIT tests them. The corpus is about locks, rewrites and what they make.
            MigrationRunner.Outcome outcome = runner.applyPending(pending, 1000, Long.MAX_VALUE);
            all = new ArrayList<>(outcome.findings());
            estimated = ProductionEstimates.apply(Dialect.of(scratch.engine()), outcome.migrations(), List.of(),
                    new ProductionEstimates.Inputs(source, pending, copy, BackfillRuns.NONE, production, null, 1000, 0),
                    event -> System.out.println(event.message()));
        }
        all.addAll(new WindowFindings(Dialect.of(scratch.engine()), 1000, Long.MAX_VALUE).of(estimated.migrations(),
                production));
        assertThat(estimated.migrations()).hasSize(corpus.size());
        for (int i = 0; i < corpus.size(); i++) {
            MigrationResult migration = estimated.migrations().get(i);
            assertThat(migration.statements()).as(migration.script()).hasSize(1);
            String name = corpus.get(i).name;
            rehearsed.put(name, migration.statements().get(0));
            // A lock too long at production size is long-lock-at-scale's; whether it is already too long on the
            // shadow (blocking-lock) depends on the machine's speed, so that counts as the former.
            findings.put(name, all.stream().filter(f -> migration.version().equals(f.migration()))
                    .map(f -> f.rule() == Rule.BLOCKING_LOCK ? Rule.LONG_LOCK_AT_SCALE : f.rule())
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class))));
        }
    }

    /** The rehearsal's verdict on the entry's own table. */
    private static Verdict verdict(StatementResult statement, String table, boolean mariaDb) {
        List<Lock> locks = statement.locks().stream().filter(l -> l.table().equals(table)).toList();
        // On MariaDB a statement that isn't an ALTER records no lock: it blocks nobody beyond its brief metadata lock.
        String mode = locks.stream().map(Lock::mode).max((a, b) -> LOCK_STRENGTH.indexOf(a) - LOCK_STRENGTH.indexOf(b))
                .orElse(mariaDb ? "LOCK=NONE" : "-");
        Set<Access> blocks = locks.stream().flatMap(l -> l.blocks().stream())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Access.class)));
        return new Verdict(statement.rewrites().contains(table), mode, blocks);
    }

    // --- PostgreSQL, measured with a second session --------------------------------------------------------------

    private static Verdict measurePostgres(ShadowDatabase db, Entry entry) throws Exception {
        try (Connection a = db.connect(Purpose.LOAD); Connection b = db.connect(Purpose.LOAD); Connection holder = db.connect(Purpose.LOAD)) {
            long pid = number(a, "SELECT pg_backend_pid()");
            // By oid: a table renamed is the same table, a table dropped was not rewritten.
            long oid = number(b, "SELECT '" + entry.name + "'::regclass::oid");
            long before = relfilenode(b, oid);
            if (entry.transactional) {
                a.setAutoCommit(false);
                execute(a, entry.sql);
                long after = relfilenode(a, oid);
                String mode = strongest(b, pid, entry.name, true);
                Set<Access> blocks = tryReadAndWrite(b, "SET lock_timeout = '200ms'", entry.name);
                a.rollback();
                return new Verdict(after != -1 && after != before, mode, blocks);
            }
            // Outside a transaction: make the statement queue behind a lock that blocks neither reads nor writes.
            holder.setAutoCommit(false);
            execute(holder, "LOCK TABLE " + entry.name + " IN SHARE UPDATE EXCLUSIVE MODE");
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    execute(a, entry.sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            String mode = "-";
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); mode.equals("-")
                    && System.nanoTime() < deadline; Thread.sleep(5)) {
                mode = strongest(b, pid, entry.name, false);
            }
            Set<Access> blocks = tryReadAndWrite(b, "SET lock_timeout = '200ms'", entry.name);
            holder.commit();
            run.get(60, TimeUnit.SECONDS);
            long after = relfilenode(b, oid);
            return new Verdict(after != -1 && after != before, mode, blocks);
        }
    }

    /** The strongest mode the session holds (granted) or waits for (not granted) on the table; {@code -} for none. */
    private static String strongest(Connection observer, long pid, String table, boolean granted) throws SQLException {
        try (PreparedStatement query = observer.prepareStatement("SELECT mode FROM pg_locks WHERE pid = ? "
                + "AND relation = ?::regclass AND granted = ?")) {
            query.setLong(1, pid);
            query.setString(2, table);
            query.setBoolean(3, granted);
            String strongest = "-";
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (LOCK_STRENGTH.indexOf(rs.getString(1)) > LOCK_STRENGTH.indexOf(strongest)) {
                        strongest = rs.getString(1);
                    }
                }
            }
            return strongest;
        }
    }

    /** The table's relfilenode as the session sees it, or -1 when it has no such table (dropped). */
    private static long relfilenode(Connection connection, long oid) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT relfilenode FROM pg_class WHERE oid = ?")) {
            query.setLong(1, oid);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    // --- MariaDB, measured while the statement runs ----------------------------------------------------------------

    private static Verdict measureMariaDb(ShadowDatabase db, Entry entry) throws Exception {
        try (Connection a = db.connect(Purpose.LOAD); Connection b = db.connect(Purpose.LOAD)) {
            long id = number(a, "SELECT CONNECTION_ID()");
            long before = spaceId(b, entry.name);
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    execute(a, entry.sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Set<Access> blocks = EnumSet.noneOf(Access.class);
            try (PreparedStatement state = b.prepareStatement("SELECT state FROM information_schema.processlist WHERE id = ?")) {
                state.setLong(1, id);
                while (!run.isDone()) {
                    String now;
                    try (ResultSet rs = state.executeQuery()) {
                        now = rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
                    }
                    if (now.equals("copy to tmp table") || now.equals("altering table") || now.startsWith("Creating index")) {
                        blocks = tryReadAndWrite(b, "SET SESSION lock_wait_timeout = 0", entry.name);
                        break;
                    }
                    Thread.sleep(2);
                }
            }
            run.get(120, TimeUnit.SECONDS);
            String mode = blocks.contains(Access.READS) ? "LOCK=EXCLUSIVE" : blocks.contains(Access.WRITES)
                    ? "LOCK=SHARED" : "LOCK=NONE";
            return new Verdict(spaceId(b, entry.name) != before, mode, blocks);
        }
    }

    private static long spaceId(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT space FROM information_schema.INNODB_SYS_TABLES "
                + "WHERE name = CONCAT(DATABASE(), '/', ?)")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    // --- both ------------------------------------------------------------------------------------------------------

    /** Tries a read and a one-row write (rolled back) with a short lock timeout: which of them had to wait. */
    private static Set<Access> tryReadAndWrite(Connection session, String timeout, String table) throws SQLException {
        Set<Access> blocked = EnumSet.noneOf(Access.class);
        execute(session, timeout);
        session.setAutoCommit(false);
        try {
            if (timedOut(session, "SELECT * FROM " + table + " LIMIT 1")) {
                blocked.add(Access.READS);
            }
            session.rollback();
            if (timedOut(session, "INSERT INTO " + table + " (id) VALUES (-1)")) {
                blocked.add(Access.WRITES);
            }
        } finally {
            session.rollback();
            session.setAutoCommit(true);
        }
        return blocked;
    }

    /** Whether the statement gave up waiting for a lock; any other outcome means it got past the locks. */
    private static boolean timedOut(Connection session, String sql) throws SQLException {
        try (Statement statement = session.createStatement()) {
            statement.execute(sql);
            return false;
        } catch (SQLException e) {
            // PostgreSQL's lock_not_available; MariaDB's ER_LOCK_WAIT_TIMEOUT.
            if ("55P03".equals(e.getSQLState()) || e.getErrorCode() == 1205) {
                return true;
            }
            if (session.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
                session.rollback();
            }
            return false;
        }
    }

    // --- the corpus files ------------------------------------------------------------------------------------------

    private static String baseline(boolean postgres, List<Entry> corpus, int rows) {
        StringBuilder sql = new StringBuilder("CREATE TABLE parent (id int PRIMARY KEY);\n").append(postgres
                ? "INSERT INTO parent SELECT g FROM generate_series(1, 100) g;\n"
                : "INSERT INTO parent SELECT seq FROM seq_1_to_100;\n");
        for (Entry entry : corpus) {
            sql.append("CREATE TABLE ").append(entry.name)
                    .append(" (id int PRIMARY KEY, n int, s text, v varchar(20), d int DEFAULT 0);\n")
                    .append(postgres ? "INSERT INTO " + entry.name + " SELECT g, g % 100 + 1, 'x' || g, 'y', 0 "
                            + "FROM generate_series(1, " + rows + ") g;\n"
                            : "INSERT INTO " + entry.name + " SELECT seq, seq % 100 + 1, CONCAT('x', seq), 'y', 0 "
                            + "FROM seq_1_to_" + rows + ";\n");
            if (!entry.setup.equals("-")) {
                sql.append(entry.setup).append(";\n");
            }
        }
        return sql.toString();
    }

    static List<Entry> corpus(String family) {
        return lines(family + "-corpus.tsv").stream()
                .map(c -> new Entry(c[0], c[1].equals("yes"), c[2], c[3])).toList();
    }

    static Map<String, Expected> expected(String family) {
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (String[] c : lines(family + "-expected.tsv")) {
            Set<Access> blocks = c[3].equals("-") ? EnumSet.noneOf(Access.class) : Arrays.stream(c[3].split(","))
                    .map(a -> Access.valueOf(a.toUpperCase())).collect(Collectors.toCollection(() -> EnumSet.noneOf(Access.class)));
            Set<Rule> rules = c.length < 5 || c[4].equals("-") ? EnumSet.noneOf(Rule.class) : Arrays.stream(c[4].split(","))
                    .map(Rule::byId).collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
            expected.put(c[0], new Expected(new Verdict(c[1].equals("rewrite"), c[2], blocks), rules));
        }
        return expected;
    }

    private static List<String[]> lines(String file) {
        try {
            return Files.readAllLines(Path.of("src/test/resources/acceptance", file)).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String blocks(Set<Access> blocks) {
        return blocks.isEmpty() ? "-" : blocks.stream().map(a -> a.name().toLowerCase()).sorted()
                .collect(Collectors.joining(","));
    }

    private static String rules(Set<Rule> rules) {
        return rules == null || rules.isEmpty() ? "-" : rules.stream().map(Rule::id).collect(Collectors.toCollection(TreeSet::new))
                .stream().collect(Collectors.joining(","));
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String one : sql.split(";\n")) {
                if (!one.isBlank()) {
                    statement.execute(one);
                }
            }
        }
    }

    private static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
