package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.Renamed;
import dev.schemarehearsal.harness.api.RehearsalResult.Stale;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Which finding a measurement makes; the measurements themselves are tested on real engines (StatementTracingIT). */
class StatementFindingsTest {
    private static final List<Access> BOTH = List.of(Access.READS, Access.WRITES);
    private final StatementFindings findings = new StatementFindings(Dialect.of(Engine.POSTGRESQL), 500);

    private static List<Finding> of(StatementFindings findings, String sql, List<Lock> locks, List<String> rewrites,
                                    List<String> scans, long stallMs, Long lockTimeoutMs) {
        StatementResult statement = new StatementResult(1, 3, sql, 40, locks, rewrites, scans, List.of(), stallMs, null,
                lockTimeoutMs, false, null);
        return findings.of(new MigrationResult("4", "x", "V4__x.sql", MigrationStatus.APPLIED, 50, null, List.of(statement)));
    }

    @Test
    void aRewriteByAVolatileDefaultNamesTheFiguresAndTheSafeAlternative() {
        List<Finding> found = of(findings, "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT clock_timestamp()",
                List.of(new Lock("t", "AccessExclusiveLock", BOTH, 45)), List.of("t"), List.of("t"), 0, 2000L);

        assertThat(found).extracting(Finding::rule).containsExactly(Rule.TABLE_REWRITE, Rule.VOLATILE_DEFAULT);
        assertThat(found.get(1).message()).isEqualTo("V4__x.sql statement 1 (line 3) added a column with a volatile "
                + "default, which rewrote t in 40 ms, holding AccessExclusiveLock for 45 ms (blocks reads and writes). "
                + "Safe alternative: add the column nullable without a default, backfill it in batches, then set the "
                + "default for new rows (and NOT NULL through a validated CHECK constraint)");
        assertThat(found).allSatisfy(f -> {
            assertThat(f.migration()).isEqualTo("4");
            assertThat(f.statement()).isEqualTo(1);
            assertThat(f.table()).isEqualTo("t");
        });
    }

    @Test
    void theRewritesSafeAlternativeFitsTheKindOfStatement() {
        List<Lock> lock = List.of(new Lock("t", "AccessExclusiveLock", BOTH, 45));
        assertThat(rewriteAdvice(findings, "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (n * 2) STORED", lock))
                .contains("VIRTUAL", "trigger").doesNotContain("pg_repack", "set the default");
        assertThat(rewriteAdvice(findings, "ALTER TABLE t ALTER COLUMN n TYPE bigint", lock))
                .contains("add a column of the new type").doesNotContain("pg_repack", "VACUUM");
        assertThat(rewriteAdvice(findings, "-- reclaim the space\nVACUUM FULL t", lock)).contains("pg_repack");
        assertThat(rewriteAdvice(findings, "CLUSTER t USING t_pkey", lock)).contains("pg_repack");
        assertThat(rewriteAdvice(findings, "ALTER TABLE t SET LOGGED", lock)).contains("LOGGED from the start");
        assertThat(rewriteAdvice(findings, "ALTER TABLE t SET UNLOGGED", lock)).contains("keep the table logged");
        assertThat(rewriteAdvice(findings, "ALTER TABLE t ADD COLUMN c bigserial", lock)).contains("nextval");
        assertThat(rewriteAdvice(findings, "TRUNCATE t", lock)).contains("delete the rows in batches");
    }

    @Test
    void onMariaDbTheAdviceIsMariaDbs() {
        StatementFindings mariaDb = new StatementFindings(Dialect.of(Engine.MARIADB), 500);
        List<Lock> shared = List.of(new Lock("t", "LOCK=SHARED", List.of(Access.WRITES), 45));
        List<Lock> none = List.of(new Lock("t", "LOCK=NONE", List.of(), 45));
        assertThat(rewriteAdvice(mariaDb, "ALTER TABLE t MODIFY n bigint", shared))
                .contains("gh-ost", "pt-online-schema-change").doesNotContain("pg_repack", "VACUUM", "lock_timeout");
        assertThat(rewriteAdvice(mariaDb, "ALTER TABLE t ADD COLUMN c int AS (n * 2) STORED", shared))
                .contains("VIRTUAL (ALGORITHM=INSTANT", "gh-ost").doesNotContain("set the default", "PostgreSQL");
        assertThat(rewriteAdvice(mariaDb, "ALTER TABLE t ADD CONSTRAINT c CHECK (n > 0)", shared))
                .startsWith("ALGORITHM=INPLACE, LOCK=NONE where the operation allows it, else an online schema change tool");
        assertThat(rewriteAdvice(mariaDb, "ALTER TABLE t FORCE", none)).startsWith("the rebuild runs online (LOCK=NONE)");
        List<Finding> index = of(mariaDb, "CREATE FULLTEXT INDEX i ON t (s)", shared, List.of("t"), List.of("t"), 0, 0L);
        assertThat(index).filteredOn(f -> f.rule() == Rule.INDEX_NOT_CONCURRENT).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("ALGORITHM=INPLACE, LOCK=NONE").doesNotContain("CONCURRENTLY"));
        assertThat(index).filteredOn(f -> f.rule() == Rule.MISSING_LOCK_TIMEOUT).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("SET SESSION lock_wait_timeout = 5")
                        .doesNotContain("lock_timeout ="));
    }

    private static String rewriteAdvice(StatementFindings findings, String sql, List<Lock> locks) {
        Finding rewrite = of(findings, sql, locks, List.of("t"), List.of(), 0, 2000L).stream()
                .filter(f -> f.rule() == Rule.TABLE_REWRITE).findFirst().orElseThrow();
        return rewrite.message().substring(rewrite.message().indexOf("Safe alternative: ") + "Safe alternative: ".length());
    }

    @Test
    void aScanUnderABlockingLockIsAFindingOnlyWithoutNotValid() {
        List<Lock> shareRowExclusive = List.of(new Lock("t", "ShareRowExclusiveLock", List.of(Access.WRITES), 10));
        assertThat(of(findings, "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id)", shareRowExclusive,
                List.of(), List.of("t"), 0, 2000L)).extracting(Finding::rule)
                .containsExactly(Rule.CONSTRAINT_VALIDATION_SCAN);
        assertThat(of(findings, "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id) NOT VALID",
                shareRowExclusive, List.of(), List.of(), 0, 2000L)).isEmpty();
        assertThat(of(findings, "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
                List.of(new Lock("t", "AccessExclusiveLock", BOTH, 10)), List.of(), List.of("t"), 0, 2000L))
                .extracting(Finding::rule).containsExactly(Rule.NOT_NULL_SCAN);
    }

    @Test
    void aRenameIsABreakingRenameNotALoss() {
        List<Lock> lock = List.of(new Lock("settings", "AccessExclusiveLock", BOTH, 3));
        StatementResult table = new StatementResult(1, 2, "ALTER TABLE IF EXISTS settings RENAME TO site_settings", 2,
                lock, List.of(), List.of(), List.of(), 0, null, 0L, false, null, null,
                List.of(new Renamed("settings", null, "site_settings")), List.of());
        StatementResult column = new StatementResult(2, 3, "ALTER TABLE site_settings RENAME COLUMN key TO name", 2,
                List.of(), List.of(), List.of(), List.of(), 0, null, 2000L, false, null, null,
                List.of(new Renamed("site_settings", "key", "name")), List.of());
        List<Finding> found = findings.of(new MigrationResult("7", "x", "V7__x.sql", MigrationStatus.APPLIED, 5, null,
                List.of(table, column)));

        assertThat(found).extracting(Finding::rule, Finding::statement, Finding::table).containsExactly(
                tuple(Rule.BREAKING_RENAME, 1, "settings"), tuple(Rule.MISSING_LOCK_TIMEOUT, 1, "settings"),
                tuple(Rule.BREAKING_RENAME, 2, "site_settings"));
        assertThat(found.get(0).message()).isEqualTo("V7__x.sql statement 1 (line 2) renamed table settings to "
                + "site_settings: the application version still running uses settings and fails from the moment the "
                + "migration commits; no data is lost. Safe alternative: expand and contract: rename, then CREATE VIEW "
                + "settings AS SELECT * FROM site_settings in the same transaction (a view of one table is updatable, "
                + "so the old name keeps reading and writing), move readers and writers to site_settings, then drop "
                + "the view in a later release");
        assertThat(found.get(2).message()).contains("renamed column site_settings.key to name", "add name beside key",
                "then drop key in a later release");
    }

    @Test
    void aFailedMigrationOnlyAddsThatItWasLeftHalfChanged() {
        List<Lock> lock = List.of(new Lock("t", "AccessExclusiveLock", BOTH, 5000));
        StatementResult committed = new StatementResult(1, 1, "ALTER TABLE t ADD COLUMN c int", 5, lock, List.of(),
                List.of(), List.of(), 0, null, 0L, true, null);
        StatementResult failed = new StatementResult(2, 2, "ALTER TABLE t ADD COLUMN c int", 1, List.of(), List.of(),
                List.of(), List.of(), 0, null, 0L, false, "duplicate column");
        List<Finding> found = findings.of(new MigrationResult("2", "x", "V2__x.sql", MigrationStatus.FAILED, 6,
                "duplicate column", List.of(committed, failed), List.of("+ column t.c integer")));

        assertThat(found).extracting(Finding::rule, Finding::statement)
                .containsExactly(tuple(Rule.NON_ATOMIC_MIGRATION, 2));
        assertThat(found.get(0).message()).contains("failed at statement 2 and left the schema half-changed: "
                + "+ column t.c integer");
        assertThat(findings.of(new MigrationResult("2", "x", "V2__x.sql", MigrationStatus.FAILED, 6,
                "duplicate column", List.of(committed, failed), List.of()))).isEmpty();
    }

    @Test
    void aLockIsTheWindowsFindingAndAStallNoWindowExplainsTheStatements() {
        List<Lock> longLock = List.of(new Lock("t", "ShareLock", List.of(Access.WRITES), 1500, 1));
        List<Finding> found = of(findings, "CREATE INDEX i ON t (c)", longLock, List.of(), List.of("t"), 0, 0L);
        // blocking-lock is decided per lock window (WindowFindings), not per statement.
        assertThat(found).extracting(Finding::rule).containsExactly(Rule.INDEX_NOT_CONCURRENT, Rule.MISSING_LOCK_TIMEOUT);
        assertThat(found.get(0).message()).contains("holding ShareLock on t for 1.5 s, blocking writes");

        assertThat(of(new StatementFindings(Dialect.of(Engine.POSTGRESQL), 2000), "CREATE INDEX CONCURRENTLY i ON t (c)",
                List.of(new Lock("t", "ShareUpdateExclusiveLock", List.of(), 1500)), List.of(), List.of(), 100, 0L))
                .isEmpty();
        // A stall with no lock window to hold it: the statement's session queued for a lock it never got.
        assertThat(of(findings, "SELECT pg_sleep(1)", List.of(), List.of(), List.of(), 900, null))
                .extracting(Finding::rule, Finding::table, Finding::impactMs)
                .containsExactly(tuple(Rule.BLOCKING_LOCK, null, 900L));
    }

    @Test
    void aStallItsLockWindowExplainsIsNoStatementFinding() {
        Lock taken = new Lock("t", "AccessExclusiveLock", BOTH, 1500, 1);
        StatementResult alter = new StatementResult(1, 1, "ALTER TABLE t ADD COLUMN c int", 10, List.of(taken), List.of(),
                List.of(), List.of(), 900, null, 2000L, false, null);
        StatementResult sleep = new StatementResult(2, 2, "SELECT pg_sleep(1)", 1000, List.of(taken), List.of(),
                List.of(), List.of(), 900, null, 2000L, false, null);
        MigrationResult migration = new MigrationResult("4", "x", "V4__x.sql", MigrationStatus.APPLIED, 1500, null,
                List.of(alter, sleep), List.of(), LockWindows.of(List.of(alter, sleep)).stream()
                .map(w -> w.withStall(900)).toList());

        assertThat(findings.of(migration)).isEmpty();
    }

    @Test
    void staleResultsAreOneFindingPerFunctionNamingWhatToRebuild() {
        String email = "IMMUTABLE function normalize_email(text)";
        String sku = "IMMUTABLE function valid_sku(text)";
        StatementResult redefined = new StatementResult(1, 1, "CREATE OR REPLACE FUNCTION normalize_email(e text) ...", 2,
                List.of(), List.of(), List.of(), List.of(), 0, null, 0L, false, null, null, List.of(), List.of(
                new Stale(email, "generated column", "customers", "email_key", 1L, "UPDATE customers SET email = email"),
                new Stale(email, "index", "customers", "customers_email_idx", null, "REINDEX INDEX CONCURRENTLY x"),
                new Stale(sku, "check", "products", "products_sku_check", 3L, "ADD CONSTRAINT ... NOT VALID")));
        List<Finding> found = findings.of(new MigrationResult("2", "x", "V2__x.sql", MigrationStatus.APPLIED, 5, null,
                List.of(redefined)));

        assertThat(found).extracting(Finding::rule, Finding::table).containsExactly(
                tuple(Rule.STALE_DEPENDENT_DATA, "customers"), tuple(Rule.STALE_DEPENDENT_DATA, "products"));
        assertThat(found.get(0).message()).startsWith("V2__x.sql statement 1 (line 1) redefined " + email)
                .contains("generated column customers.email_key holds 1 row the function now computes otherwise; "
                        + "index customers_email_idx on customers keeps entries by the old body",
                        "Rebuild them right after the function changes: UPDATE customers SET email = email; "
                        + "REINDEX INDEX CONCURRENTLY x. Safe alternative: ")
                .doesNotContain("valid_sku");
        assertThat(found.get(1).message()).contains("check products_sku_check on products was validated by the old "
                + "body; 3 rows fail it now (VALIDATE fails until they are fixed). Rebuild it right after");
    }
}
