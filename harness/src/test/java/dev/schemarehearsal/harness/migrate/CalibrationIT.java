package dev.schemarehearsal.harness.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production estimates calibrated on real engines: a shop whose production is 20 times the shadow's sample, and
 * migrations whose work grows differently with it. A selective UPDATE reads the whole table to change a few rows: its
 * estimate rests on the rows it reads at production, 20 times the sample's. TRUNCATE reads nothing whatever the size.
 * An index build on a small table is a fixed cost plus a sort of its rows. Asserted on the rows the model counted and
 * the basis it chose, never on durations.
 */
class CalibrationIT {
    /** The rows read on the empty twin (none, or a catalog row), the sample and the copy in production's proportions. */
    private static final Pattern SIZES = Pattern.compile("fit on 3 sizes \\([01], ([0-9,]+) and ([0-9,]+) rows read\\)");
    private static final Pattern AT_PRODUCTION = Pattern.compile("([0-9,]+) rows read at production");

    @Test
    void postgresql(@TempDir Path project) throws Exception {
        List<RehearsalEvent> events = new ArrayList<>();
        RehearsalResult result = rehearse(project, """
                CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric(10,2) NOT NULL, note text);
                INSERT INTO orders SELECT g, CASE WHEN g %% 200 = 0 THEN 'disputed' ELSE 'delivered' END, g %% 500,
                  md5(g::text) FROM generate_series(1, 20000) g;
                CREATE TABLE audit (id bigint PRIMARY KEY, message text NOT NULL);
                INSERT INTO audit SELECT g, md5(g::text) FROM generate_series(1, 5000) g;
                CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
                INSERT INTO customers SELECT g, 'c' || g || '@example.org' FROM generate_series(1, 2000) g;
                """, "TRUNCATE audit", b -> b.shadow("embedded").engineVersion("18"), events);

        StatementResult update = statement(result, "2");
        // Every row of orders read, on each size; at production 20 times the sample's.
        assertThat(rowsRead(update)).containsExactly(20_000L, 100_000L);
        assertThat(productionRows(update)).isEqualTo(400_000);
        assertThat(update.estimateBasis()).contains(" reading × 4.0 ").contains("rows written at production, by the planner");

        StatementResult truncate = statement(result, "3");
        assertThat(truncate.estimateBasis()).isEqualTo("TRUNCATE takes as long whatever the rows: as on the shadow");
        assertThat(truncate.estimatedProductionMs()).isEqualTo(truncate.durationMs());

        StatementResult index = statement(result, "4");
        assertThat(rowsRead(index)).containsExactly(2_000L, 10_000L);
        assertThat(productionRows(index)).isEqualTo(40_000);
        assertThat(index.estimateBasis()).containsPattern("\\): [0-9.,]+ ms \\+ [0-9.,]+ [nµ]s/row·log₂ rows;");

        checkReport(project, result, events);
    }

    @Test
    void mariadb(@TempDir Path project) throws Exception {
        List<RehearsalEvent> events = new ArrayList<>();
        RehearsalResult result = rehearse(project, """
                CREATE TABLE orders (id bigint PRIMARY KEY, status varchar(20) NOT NULL, total decimal(10,2) NOT NULL,
                  note varchar(40));
                INSERT INTO orders SELECT seq, CASE WHEN seq %% 200 = 0 THEN 'disputed' ELSE 'delivered' END, seq %% 500,
                  md5(seq) FROM seq_1_to_20000;
                CREATE TABLE audit (id bigint PRIMARY KEY, message varchar(40) NOT NULL);
                INSERT INTO audit SELECT seq, md5(seq) FROM seq_1_to_5000;
                CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(60) NOT NULL);
                INSERT INTO customers SELECT seq, concat('c', seq, '@example.org') FROM seq_1_to_2000;
                """, "TRUNCATE TABLE audit", b -> b.engine("mariadb").shadow("container").engineVersion("10.11"), events);

        StatementResult update = statement(result, "2");
        // The trace sees the UPDATE read orders in full (its plan), and the session's handler counters count the rows.
        assertThat(update.scans()).containsExactly("orders");
        List<Long> read = rowsRead(update);
        assertThat(read.get(0)).isBetween(20_000L, 20_500L);
        assertThat(read.get(1)).isBetween(100_000L, 102_500L);
        assertThat(productionRows(update)).isBetween(400_000L, 410_000L);

        StatementResult truncate = statement(result, "3");
        assertThat(truncate.estimateBasis()).isEqualTo("TRUNCATE takes as long whatever the rows: as on the shadow");
        assertThat(truncate.estimatedProductionMs()).isEqualTo(truncate.durationMs());

        StatementResult index = statement(result, "4");
        // The index is built inside InnoDB, which no session counter sees: its rows are its table's.
        assertThat(rowsRead(index)).containsExactly(2_000L, 10_000L);
        assertThat(productionRows(index)).isEqualTo(40_000);
        assertThat(index.estimateBasis()).contains("/row·log₂ rows;");

        checkReport(project, result, events);
    }

    private static RehearsalResult rehearse(Path project, String baseline, String truncate,
                                            Function<Rehearsal.Builder, Rehearsal.Builder> shadow,
                                            List<RehearsalEvent> events) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__shop.sql"), baseline.formatted());
        Files.writeString(migrations.resolve("V2__review_disputes.sql"),
                "UPDATE orders SET status = 'review' WHERE status = 'disputed';\n");
        Files.writeString(migrations.resolve("V3__forget_audit.sql"), truncate + ";\n");
        Files.writeString(migrations.resolve("V4__customers_email.sql"),
                "CREATE INDEX customers_email ON customers (email);\n");
        Files.createDirectories(project.resolve("src/rehearsal"));
        // Production: 20 times the shadow's rows in every table.
        Files.writeString(project.resolve("src/rehearsal/stats.json"), """
                {"tables": {"orders": {"rows": 400000}, "audit": {"rows": 100000}, "customers": {"rows": 40000}}}
                """);
        // A low maxLockMs, so that every statement is worth calibrating however fast this machine is.
        RehearsalResult result = shadow.apply(Rehearsal.configure().projectDirectory(project).baseline("1")
                .maxLockMs(20).failOn("none")).load().run(events::add);
        events.stream().filter(e -> e.progress() == null).forEach(e -> System.out.println(e.message()));
        assertThat(result.migrations()).extracting(RehearsalResult.MigrationResult::status)
                .containsOnly(MigrationStatus.APPLIED);
        return result;
    }

    private static void checkReport(Path project, RehearsalResult result, List<RehearsalEvent> events) throws Exception {
        assertThat(result.phases()).extracting(Phase::name).contains("migrate", "estimate");
        assertThat(events).extracting(RehearsalEvent::message).anyMatch(m -> m.startsWith("Calibrated in "));
        JsonNode statement = new ObjectMapper().readTree(project.resolve("target/schema-rehearsal/report.json").toFile())
                .at("/migrations/0/statements/0");
        assertThat(statement.at("/estimatedProductionMs").isNumber()).isTrue();
        assertThat(statement.at("/estimatedProductionRange/low").asLong())
                .isLessThanOrEqualTo(statement.at("/estimatedProductionMs").asLong());
        assertThat(statement.at("/estimatedProductionRange/high").asLong())
                .isGreaterThanOrEqualTo(statement.at("/estimatedProductionMs").asLong());
        assertThat(statement.at("/estimateBasis").asText()).startsWith("fit on 3 sizes");
    }

    private static StatementResult statement(RehearsalResult result, String version) {
        StatementResult statement = result.migrations().stream().filter(m -> m.version().equals(version)).findFirst()
                .orElseThrow().statements().get(0);
        System.out.println("V" + version + ": " + statement.estimatedProductionMs() + " ms "
                + statement.estimatedProductionRange() + ": " + statement.estimateBasis());
        assertThat(statement.estimatedProductionRange()).isNotNull();
        return statement;
    }

    /** The rows read on the sample and on the copy in production's proportions. */
    private static List<Long> rowsRead(StatementResult statement) {
        Matcher sizes = SIZES.matcher(statement.estimateBasis());
        assertThat(sizes.find()).as(statement.estimateBasis()).isTrue();
        return List.of(number(sizes.group(1)), number(sizes.group(2)));
    }

    private static long productionRows(StatementResult statement) {
        Matcher production = AT_PRODUCTION.matcher(statement.estimateBasis());
        assertThat(production.find()).as(statement.estimateBasis()).isTrue();
        return number(production.group(1));
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
