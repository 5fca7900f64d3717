package dev.schemarehearsal.harness.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BatchTrial;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.api.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backfills of 270,000 rows on real engines, right after their migration: a good one passes with its figures, a
 * deliberately huge batch stalls the probes ({@code backfill-slow}), and an off-by-one one leaves NULLs
 * ({@code backfill-unverified}), changes rows again when re-run ({@code not-idempotent}) and would take too long at
 * production size ({@code backfill-slow}). The figures are printed for the record.
 */
class BackfillIT {
    /** Keys 1 to 300,000 without every tenth: 270,000 rows with gaps. */
    private static final long ROWS = 270_000;

    @Test
    void postgresql(@TempDir Path project) throws Exception {
        String table = """
                CREATE TABLE %1$s (id bigint PRIMARY KEY, created_at timestamp NOT NULL, note text NOT NULL);
                INSERT INTO %1$s SELECT g, timestamp '2020-01-01' + g * interval '10 minutes', md5(g::text)
                  FROM generate_series(1, 300000) g WHERE g %% 10 <> 0;
                """;
        // The huge batch holds its 270,000 row locks a while after its UPDATE, as a slower server would: the probes'
        // stall on it is then well over maxStallMs on a fast machine too.
        String holdHuge = """
                CREATE FUNCTION hold_huge() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN PERFORM pg_sleep(0.8); RETURN NULL; END $f$;
                CREATE TRIGGER hold_huge AFTER UPDATE ON huge_t FOR EACH STATEMENT EXECUTE FUNCTION hold_huge();
                """;
        RehearsalResult result = rehearse(project, table, holdHuge, "ALTER TABLE %s ADD COLUMN tier text",
                "ALTER TABLE good_t ALTER COLUMN tier SET NOT NULL", builder -> builder.shadow("embedded").engineVersion("15"));
        check(result, project);
    }

    @Test
    void mariadb(@TempDir Path project) throws Exception {
        String table = """
                CREATE TABLE %1$s (id bigint PRIMARY KEY, created_at datetime NOT NULL, note varchar(40) NOT NULL);
                INSERT INTO %1$s SELECT seq, '2020-01-01' + INTERVAL seq * 10 MINUTE, md5(seq)
                  FROM seq_1_to_300000 WHERE seq %% 10 <> 0;
                """;
        RehearsalResult result = rehearse(project, table, "", "ALTER TABLE %s ADD COLUMN tier varchar(20)",
                "ALTER TABLE good_t MODIFY tier varchar(20) NOT NULL",
                builder -> builder.engine("mariadb").shadow("container").engineVersion("10.11"));
        check(result, project);
    }

    private static RehearsalResult rehearse(Path project, String createTable, String afterTables, String addColumn,
                                            String setNotNull,
                                            Function<Rehearsal.Builder, Rehearsal.Builder> shadow) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        List<String> tables = List.of("good_t", "huge_t", "wrong_t", "coded_t");
        Files.writeString(migrations.resolve("V1__tables.sql"),
                tables.stream().map(createTable::formatted).collect(Collectors.joining()) + afterTables);
        Files.writeString(migrations.resolve("V2__tier.sql"),
                tables.stream().map(t -> addColumn.formatted(t) + ";\n").collect(Collectors.joining()));
        // Fails unless good_t's backfill ran between V2 and V3.
        Files.writeString(migrations.resolve("V3__tier_required.sql"), setNotNull + ";\n");
        Path backfills = Files.createDirectories(project.resolve("src/rehearsal/backfills"));
        String tier = "CASE WHEN created_at < '2022-01-01' THEN 'gold' ELSE 'bronze' END";
        Files.writeString(backfills.resolve("good.sql"), """
                -- backfill: good
                -- after: 2
                -- table: good_t
                -- key: id
                -- batch: 2000
                -- verify: SELECT count(*) = 0 FROM good_t WHERE tier IS NULL
                UPDATE good_t SET tier = %s WHERE id > :from AND id <= :to AND tier IS NULL;
                """.formatted(tier));
        Files.writeString(backfills.resolve("huge.sql"), """
                -- backfill: huge
                -- after: 2
                -- table: huge_t
                -- key: id
                -- batch: 1000000   -- the whole table in one transaction
                -- verify: SELECT count(*) = 0 FROM huge_t WHERE tier IS NULL
                UPDATE huge_t SET tier = %s, note = concat(note, '!') WHERE id > :from AND id <= :to AND tier IS NULL;
                """.formatted(tier));
        Files.writeString(backfills.resolve("wrong.sql"), """
                -- backfill: wrong
                -- after: 2
                -- table: wrong_t
                -- key: id
                -- batch: 5000
                -- verify: SELECT count(*) = 0 FROM wrong_t WHERE tier IS NULL
                UPDATE wrong_t SET tier = %s WHERE id > :from AND id < :to;
                """.formatted(tier));
        // Production: good_t 20 million rows, wrong_t 2 billion: far beyond maxBackfillMs at any speed seen here.
        Files.writeString(project.resolve("src/rehearsal/stats.json"),
                "{\"tables\": {\"good_t\": {\"rows\": 20000000}, \"wrong_t\": {\"rows\": 2000000000}}}");
        return shadow.apply(Rehearsal.configure().projectDirectory(project).baseline("1").failOn("none")
                        .maxBackfillMs(3_600_000L).adviseBatch(true).backfill(new Coded()))
                .load().run(event -> {
                    if (event.progress() != null) {
                        System.out.println(event.message());
                    }
                });
    }

    private static void check(RehearsalResult result, Path project) throws Exception {
        Map<String, BackfillResult> byName = result.backfills().stream()
                .collect(Collectors.toMap(BackfillResult::name, b -> b));
        print(result);
        assertThat(result.migrations()).extracting(RehearsalResult.MigrationResult::status)
                .containsExactly(MigrationStatus.APPLIED, MigrationStatus.APPLIED);
        assertThat(result.phases()).extracting(Phase::name).contains("migrate", "backfill");

        BackfillResult good = byName.get("good");
        assertThat(good.rows()).isEqualTo(ROWS);
        assertThat(good.batches()).isEqualTo(135);
        assertThat(good.perBatch()).allSatisfy(b -> assertThat(b.rows()).isEqualTo(2000));
        assertThat(good.verified()).isTrue();
        assertThat(good.rerunRows()).isZero();
        assertThat(good.rowsRemaining()).isZero();
        assertThat(good.productionRows()).isEqualTo(20_000_000L);
        assertThat(good.estimatedProductionMs()).isGreaterThan(good.durationMs());
        assertThat(good.advice().trials()).extracting(BatchTrial::batch).containsExactly(500, 2_000, 10_000, 50_000);
        // The trials were rolled back: the real run still found every row to fill.
        assertThat(good.advice().trials()).allSatisfy(t -> assertThat(t.rows()).isEqualTo(Math.min(ROWS,
                t.batches() * (long) t.batch())));
        // The largest size before the first whose stall p95 went over maxStallMs.
        assertThat(good.advice().recommended()).isEqualTo(good.advice().trials().stream()
                .takeWhile(t -> t.stallP95Ms() <= 500).map(BatchTrial::batch).max(Comparator.naturalOrder()).orElse(null));
        assertThat(findings(result, "good_t")).isEmpty();

        BackfillResult huge = byName.get("huge");
        assertThat(huge.batches()).isEqualTo(1);
        assertThat(huge.rows()).isEqualTo(ROWS);
        assertThat(huge.probeStallMs()).isGreaterThan(500);
        assertThat(findings(result, "huge_t")).extracting(Finding::rule).containsExactly(Rule.BACKFILL_SLOW);
        assertThat(findings(result, "huge_t").get(0).message()).contains("batch 1 of 1").contains("stalled probes");

        BackfillResult wrong = byName.get("wrong");
        assertThat(wrong.verified()).isFalse();
        // Each batch's upper key was skipped: 54 batches left 54 rows NULL, which a re-run changes again.
        assertThat(wrong.rows()).isEqualTo(ROWS - 54);
        assertThat(wrong.rerunRows()).isEqualTo(ROWS - 54);
        assertThat(findings(result, "wrong_t")).extracting(Finding::rule)
                .containsExactlyInAnyOrder(Rule.BACKFILL_UNVERIFIED, Rule.BACKFILL_SLOW, Rule.NOT_IDEMPOTENT);

        BackfillResult coded = byName.get("coded");
        assertThat(coded.source()).isEqualTo("coded");
        assertThat(coded.rows()).isEqualTo(ROWS);
        assertThat(coded.verified()).isTrue();

        JsonNode json = new ObjectMapper().readTree(project.resolve("target/schema-rehearsal/report.json").toFile());
        JsonNode first = json.get("backfills").get(0);
        for (String field : List.of("name", "after", "batches", "rows", "durationMs", "rowsPerSecond", "verified",
                "estimatedProductionMs")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.get("batchMs").has("p95")).isTrue();
        assertThat(Files.readString(project.resolve("target/schema-rehearsal/report.html"))).contains("Backfills (4)");
    }

    /** The table's backfill findings (its migrations' statements have theirs, e.g. missing-lock-timeout). */
    private static List<Finding> findings(RehearsalResult result, String table) {
        return result.findings().stream().filter(f -> table.equals(f.table()) && f.statement() == null).toList();
    }

    private static void print(RehearsalResult result) {
        System.out.println("== " + result.shadow().engine().id() + " " + result.shadow().version());
        for (BackfillResult b : result.backfills()) {
            System.out.printf("%-6s batch %,9d: %,7d rows in %,4d batches, %,6d ms, %,9.0f rows/s, batch p50/p95/max %d/%d/%d ms, "
                            + "probe stall %,d ms, verified %s, re-run %s rows, production %s ms%n", b.name(), b.batch(),
                    b.rows(), b.batches(), b.durationMs(), b.rowsPerSecond(), b.batchMs().p50(), b.batchMs().p95(),
                    b.batchMs().max(), b.probeStallMs(), b.verified(), b.rerunRows(), b.estimatedProductionMs());
            if (b.advice() != null) {
                for (BatchTrial t : b.advice().trials()) {
                    System.out.printf("   try %,6d: %,9.0f rows/s, batch p50/p95/max %d/%d/%d ms, stall p95 %,d ms, max %,d ms%n",
                            t.batch(), t.rowsPerSecond(), t.batchMs().p50(), t.batchMs().p95(), t.batchMs().max(),
                            t.stallP95Ms(), t.stallMaxMs());
                }
                System.out.println("   recommended: " + b.advice().recommended());
            }
        }
        result.findings().forEach(f -> System.out.println(f.rule().id() + ": " + f.message()));
    }

    /** A backfill written in Java. */
    private record Coded() implements Backfill {
        @Override
        public String name() {
            return "coded";
        }

        @Override
        public String after() {
            return "2";
        }

        @Override
        public String table() {
            return "coded_t";
        }

        @Override
        public String key() {
            return "id";
        }

        @Override
        public int batch() {
            return 10_000;
        }

        @Override
        public long run(Connection connection, long from, long to) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE coded_t SET tier = 'coded' WHERE id > ? AND id <= ? AND tier IS NULL")) {
                update.setLong(1, from);
                update.setLong(2, to);
                return update.executeUpdate();
            }
        }

        @Override
        public Boolean verify(Connection connection) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM coded_t WHERE tier IS NULL");
                 var rs = query.executeQuery()) {
                return rs.next() && rs.getLong(1) == 0;
            }
        }
    }
}
