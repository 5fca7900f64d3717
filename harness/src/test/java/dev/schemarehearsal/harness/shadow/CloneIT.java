package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.api.RehearsalResult.SizeChange;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.migrate.ProductionEstimates;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code shadow=clone} on a real PostgreSQL 15 server holding "production": a template database {@code prod} of
 * 200,000 rows at V2, with Flyway's history, and {@code prod_plain}, the same without a history. Rehearsals copy it by
 * template and by a clone command (the README's local recipe, {@code fixtures/clone}); the template is never written
 * (its rows, catalog, statistics and history have the same checksum after every run, a failing one included), and no
 * copy outlives a run, whether it succeeded, failed or was refused.
 */
class CloneIT {
    private static final PostgreSQLContainer SERVER = new PostgreSQLContainer("postgres:15");
    private static final long ROWS = 200_000;
    private static final Path RECIPE = Path.of("../fixtures/clone").toAbsolutePath().normalize();
    private static final Path SCRIPTS = Path.of("src/test/resources/clone").toAbsolutePath();
    private static final String V1 = "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price int NOT NULL);\n";
    private static final String V2 = "CREATE INDEX items_price ON items (price);\n";
    private static final String LOAD = "INSERT INTO items SELECT g, 'item ' || g, g % 1000 FROM generate_series(1, "
            + ROWS + ") g; ANALYZE items;";

    private static String prod;
    private static String plain;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void production(@TempDir Path migrations) throws Exception {
        SERVER.start();
        execute(SERVER.getJdbcUrl(), "CREATE DATABASE prod", "CREATE DATABASE prod_plain");
        Files.writeString(migrations.resolve("V1__items.sql"), V1);
        Files.writeString(migrations.resolve("V2__items_price.sql"), V2);
        Flyway.configure().dataSource(url("prod"), SERVER.getUsername(), SERVER.getPassword())
                .locations("filesystem:" + migrations).load().migrate();
        execute(url("prod"), LOAD);
        execute(url("prod_plain"), V1, V2, LOAD);
        prod = checksum("prod");
        plain = checksum("prod_plain");
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @AfterEach
    void productionUntouchedAndNothingLeft() throws Exception {
        assertThat(checksum("prod")).as("the template's rows, catalog, statistics and history").isEqualTo(prod);
        assertThat(checksum("prod_plain")).as("the template without history").isEqualTo(plain);
        assertThat(copies()).as("clones and scratch databases left on the server").isEmpty();
    }

    @Test
    void aTemplateCloneRehearsesThePendingMigrationsOnProductionItself(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN code uuid DEFAULT gen_random_uuid();\n",
                "ALTER TABLE items ADD COLUMN tier text;\n");
        backfill(project);

        RehearsalResult result = template(project, "prod").backfillSampleSeconds(3L).load().run(listener());

        assertThat(result.shadow().kind()).isEqualTo(ShadowKind.CLONE);
        assertThat(log).contains("Baseline 2: production's version, read from the clone's Flyway history table "
                + "flyway_schema_history");
        assertThat(result.phases()).extracting(Phase::name).doesNotContain("load").contains("baseline", "migrate");
        assertThat(result.data().tables()).isEmpty();
        assertThat(result.migrations()).extracting(MigrationResult::version).containsExactly("3", "4");
        MigrationResult rewrite = result.migrations().get(0);
        StatementResult statement = rewrite.statements().get(0);
        assertThat(statement.rewrites()).containsExactly("items");
        assertThat(statement.estimatedProductionMs()).isEqualTo(statement.durationMs());
        assertThat(statement.estimatedProductionRange().low()).isEqualTo(statement.durationMs());
        assertThat(statement.estimateBasis()).isEqualTo(ProductionEstimates.MEASURED_ON_CLONE);
        // 200,000 rows with a 16-byte uuid more each: the table's storage grows by megabytes.
        SizeChange table = rewrite.sizeChange().stream().filter(c -> c.table().equals("items") && c.index() == null)
                .findFirst().orElseThrow();
        assertThat(table.bytesBefore()).isGreaterThan(10_000_000);
        assertThat(table.bytesAfter() - table.bytesBefore()).isGreaterThan(2_000_000);
        assertThat(table.estimatedProductionBytesAfter()).isEqualTo(table.bytesAfter());
        assertThat(result.migrations().get(1).sizeChange()).as("a column added without a rewrite").isEmpty();

        BackfillResult backfill = result.backfills().get(0);
        assertThat(backfill.sampled()).isNotNull();
        assertThat(backfill.sampled().timeBoxSeconds()).isEqualTo(3);
        assertThat(backfill.batches()).isGreaterThan(2);
        assertThat(backfill.perBatch().get(0).from()).as("the first batch at the lowest key").isEqualTo(0);
        assertThat(backfill.perBatch().get(1).to()).as("the second ending at the highest").isEqualTo(ROWS);
        assertThat(backfill.productionRows()).as("keys estimated from the sample").isEqualTo(ROWS);
        assertThat(backfill.verified()).isNull();
        assertThat(backfill.rerunRows()).isZero();
        assertThat(backfill.estimatedProductionRange().low()).isLessThanOrEqualTo(backfill.estimatedProductionMs());
        assertThat(backfill.estimatedProductionRange().high()).isGreaterThanOrEqualTo(backfill.estimatedProductionMs());
        if (!backfill.sampled().everyKey()) {
            assertThat(backfill.estimatedProductionMs()).isGreaterThan(backfill.durationMs());
        }
        assertThat(log).anyMatch(line -> line.startsWith("Shadow started: clone schema_rehearsal_")
                && line.contains("of template prod"));
        Path reports = project.resolve("target/schema-rehearsal");
        for (String report : List.of("summary.md", "report.html")) {
            assertThat(Files.readString(reports.resolve(report))).as(report)
                    .contains("Every duration was measured on a full-size clone of production");
        }
        assertThat(Files.readString(reports.resolve("report.json")))
                .contains("\"estimateBasis\" : \"" + ProductionEstimates.MEASURED_ON_CLONE + "\"");
    }

    @Test
    void aFailingMigrationLeavesTheTemplateAsItWas(@TempDir Path project) throws Exception {
        pending(project, "UPDATE items SET price = price + 1;\nALTER TABLE items ADD COLUMN code int;\n"
                + "UPDATE items SET price = price / 0;\n");

        RehearsalResult result = template(project, "prod").load().run(listener());

        assertThat(result.migrations()).extracting(MigrationResult::status).containsExactly(MigrationStatus.FAILED);
        assertThat(result.findings()).anyMatch(f -> f.rule() == Rule.MIGRATION_FAILED);
    }

    @Test
    void aTemplateWithoutHistoryIsBaselinedOnTheCloneOnly(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        RehearsalResult result = template(project, "prod_plain").baseline("2").load().run(listener());

        assertThat(result.migrations()).extracting(MigrationResult::version).containsExactly("3");
        assertThat(result.migrations().get(0).status()).isEqualTo(MigrationStatus.APPLIED);
        assertThat(log).contains("Baseline 2 taken as applied: the clone holds production's schema and data; pending: "
                + "V3__pending.sql");
    }

    @Test
    void aBaselineTheCloneCannotTellOrContradictsIsRefused(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertRefused(template(project, "prod_plain"), "baseline",
                "no baseline is set, and the clone records no applied migration to read it from");
        assertRefused(template(project, "prod").baseline("1"), "baseline",
                "the clone's Flyway history table flyway_schema_history says production is at version 2, but "
                        + "<baseline> is 1");
    }

    @Test
    void aTemplateThatIsNotThereIsNamedWithTheServersDatabases(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertThatThrownBy(() -> template(project, "prdo").load().run(listener()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("cloneTemplate");
                    assertThat(e.getMessage()).startsWith("there is no database 'prdo' on ");
                    assertThat(e.fix()).contains("prod, prod_plain");
                });
    }

    @Test
    void aTemplateInUseNamesTheSessionsConnectedToIt(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");
        Properties reporting = credentials();
        reporting.setProperty("ApplicationName", "nightly-report");
        try (Connection session = DriverManager.getConnection(url("prod"), reporting)) {
            long pid;
            try (ResultSet rs = session.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            assertThatThrownBy(() -> template(project, "prod").load().run(listener()))
                    .isInstanceOfSatisfying(InfrastructureException.class, e -> {
                        assertThat(e.getMessage()).startsWith("PostgreSQL refused to copy the template prod: ")
                                .contains("is being accessed by other users")
                                .contains("pid " + pid + " (user " + SERVER.getUsername() + ", application 'nightly-report'");
                        assertThat(e.fix()).contains("pg_terminate_backend");
                    });
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsSaidSo(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertThatThrownBy(() -> Rehearsal.configure().projectDirectory(project).shadow("clone").cloneTemplate("prod")
                .server("jdbc:postgresql://127.0.0.1:1/postgres", "u", "p").load().run(listener()))
                .isInstanceOf(InfrastructureException.class)
                .hasMessageStartingWith("could not create a clone of prod on 'jdbc:postgresql://127.0.0.1:1/postgres': ");
    }

    @Test
    void theReadmesLocalCloneCommandMakesAndDestroysTheClone(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN code uuid DEFAULT gen_random_uuid();\n");

        RehearsalResult result = command(project, RECIPE.resolve("clone-create.sh") + " localhost " + port() + " prod")
                .load().run(listener());

        assertThat(result.shadow().kind()).isEqualTo(ShadowKind.CLONE);
        assertThat(result.migrations()).extracting(MigrationResult::version).containsExactly("3");
        assertThat(result.migrations().get(0).statements().get(0).estimateBasis())
                .isEqualTo(ProductionEstimates.MEASURED_ON_CLONE);
        assertThat(log).anyMatch(line -> line.startsWith("Clone made: jdbc:postgresql://localhost:" + port()
                + "/schema_rehearsal_"));
    }

    @Test
    void theDestroyCommandIsGivenTheUrlAndTheWholeOutputInTheProjectsFolder(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");
        String psql = "env PGUSER=" + SERVER.getUsername() + " PGPASSWORD=" + SERVER.getPassword() + " sh ";

        Rehearsal.configure().projectDirectory(project).shadow("clone").failOn("none")
                .server(null, SERVER.getUsername(), SERVER.getPassword())
                .cloneCommand(psql + SCRIPTS.resolve("chatty.sh") + " localhost " + port() + " prod")
                .cloneDestroyCommand(psql + SCRIPTS.resolve("destroy-by-url.sh") + " localhost " + port())
                .load().run(listener());

        String made = log.stream().filter(line -> line.startsWith("Clone made: ")).findFirst().orElseThrow()
                .substring("Clone made: ".length());
        String name = made.substring(made.lastIndexOf('/') + 1);
        assertThat(name).startsWith("schema_rehearsal_");
        assertThat(project.resolve("destroyed-url.txt")).hasContent(made);
        assertThat(Files.readString(project.resolve("destroyed-output.txt")))
                .isEqualTo("clone " + name + " requested\n" + made + "\n");
    }

    @Test
    void aCloneCommandThatFailsIsSaidWithItsErrorOutputAndWhatItMadeIsDestroyed(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertThatThrownBy(() -> command(project, SCRIPTS.resolve("fails.sh") + " localhost " + port() + " prod")
                .load().run(listener()))
                .isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("fails.sh localhost " + port() + " prod ended with exit status 3; its error output "
                        + "ends: dblab: quota exceeded for clone schema_rehearsal_");
    }

    @Test
    void aCloneCommandThatPrintsNoUrlIsSaidSoAndWhatItMadeIsDestroyed(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertThatThrownBy(() -> command(project, SCRIPTS.resolve("no-url.sh") + " localhost " + port() + " prod")
                .load().run(listener()))
                .isInstanceOfSatisfying(InfrastructureException.class, e -> {
                    assertThat(e.getMessage()).contains("printed no JDBC URL as its last line (it ended with 'clone ready')");
                    assertThat(e.fix()).contains("as the last line of its standard output");
                });
    }

    @Test
    void aCloneUrlThatDoesNotAnswerIsSaidSoAndTheCloneIsDestroyed(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertThatThrownBy(() -> command(project, SCRIPTS.resolve("dead-url.sh") + " localhost " + port() + " prod")
                .load().run(listener()))
                .isInstanceOf(InfrastructureException.class)
                .hasMessageStartingWith("the clone at 'jdbc:postgresql://127.0.0.1:1/schema_rehearsal_")
                .hasMessageContaining("does not answer");
    }

    @Test
    void aCloneCommandThatRunsTooLongIsStoppedAndWhatItMadeIsDestroyed(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        long start = System.nanoTime();
        assertThatThrownBy(() -> command(project, SCRIPTS.resolve("slow.sh") + " localhost " + port() + " prod")
                .cloneTimeoutSeconds(5).load().run(listener()))
                .isInstanceOf(InfrastructureException.class)
                .hasMessageContaining("ran longer than 5 s and was stopped; its error output ends: making the clone");
        assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(60);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 600")))
                .as("the command's children").isEmpty();
    }

    @Test
    void aCloneCommandThatCannotRunNamesTheParameter(@TempDir Path project) throws Exception {
        pending(project, "ALTER TABLE items ADD COLUMN tier text;\n");

        assertRefused(Rehearsal.configure().projectDirectory(project).shadow("clone").cloneCommand("no-such-clone-tool")
                .cloneDestroyCommand("true"), "cloneCommand", null);
    }

    private Rehearsal.Builder template(Path project, String template) {
        return Rehearsal.configure().projectDirectory(project).shadow("clone").cloneTemplate(template)
                .server(SERVER.getJdbcUrl(), SERVER.getUsername(), SERVER.getPassword()).failOn("none");
    }

    private Rehearsal.Builder command(Path project, String create) {
        String psql = "env PGUSER=" + SERVER.getUsername() + " PGPASSWORD=" + SERVER.getPassword() + " sh ";
        return Rehearsal.configure().projectDirectory(project).shadow("clone").failOn("none")
                .server(null, SERVER.getUsername(), SERVER.getPassword())
                .cloneCommand(psql + create)
                .cloneDestroyCommand(psql + RECIPE.resolve("clone-destroy.sh") + " localhost " + port());
    }

    private void assertRefused(Rehearsal.Builder builder, String parameter, String message) {
        assertThatThrownBy(() -> builder.load().run(listener())).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.parameter()).isEqualTo(parameter);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
        });
    }

    private RehearsalListener listener() {
        return event -> log.add(event.message());
    }

    /** V1 and V2 as production has them, then the pending scripts from V3 on. */
    private static void pending(Path project, String... scripts) throws Exception {
        Path folder = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(folder.resolve("V1__items.sql"), V1);
        Files.writeString(folder.resolve("V2__items_price.sql"), V2);
        for (int i = 0; i < scripts.length; i++) {
            Files.writeString(folder.resolve("V" + (i + 3) + "__pending" + (i == 0 ? "" : "_" + i) + ".sql"), scripts[i]);
        }
    }

    private static void backfill(Path project) throws Exception {
        Path folder = Files.createDirectories(project.resolve("src/rehearsal/backfills"));
        Files.writeString(folder.resolve("tier.sql"), """
                -- backfill: items_tier
                -- after: 4
                -- table: items
                -- key: id
                -- batch: 1000
                UPDATE items SET tier = 'bronze' WHERE id > :from AND id <= :to AND tier IS NULL;
                """);
    }

    /** The template's rows, catalog (tables, columns, indexes and their storage), statistics and Flyway history. */
    private static String checksum(String database) throws SQLException {
        String history = database.equals("prod") ? " UNION ALL SELECT 'history ' || h::text FROM flyway_schema_history h" : "";
        try (Connection connection = DriverManager.getConnection(url(database), credentials());
             ResultSet rs = connection.createStatement().executeQuery("SELECT md5(string_agg(x, E'\\n' ORDER BY x)) "
                     + "FROM (SELECT 'row ' || i::text FROM items i"
                     + " UNION ALL SELECT 'class ' || c.relname || ' ' || c.relkind::text || ' ' || c.relfilenode || ' '"
                     + " || c.relpages || ' ' || c.reltuples || ' ' || pg_relation_size(c.oid) FROM pg_class c"
                     + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                     + " UNION ALL SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' '"
                     + " || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull FROM pg_attribute a"
                     + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = 'public' AND a.attnum > 0"
                     + " UNION ALL SELECT 'statistic ' || s.starelid::regclass || ' ' || s.staattnum || ' '"
                     + " || s.stanullfrac || ' ' || s.stadistinct FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid"
                     + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'" + history + ") all_of(x)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Databases the rehearsal made on the server: clones and scratch databases. */
    private static List<String> copies() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(SERVER.getJdbcUrl(), credentials());
             ResultSet rs = connection.createStatement().executeQuery(
                     "SELECT datname FROM pg_database WHERE datname LIKE 'schema\\_rehearsal\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, credentials());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String url(String database) {
        return SERVER.getJdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
    }

    private static int port() {
        return SERVER.getMappedPort(5432);
    }

    private static Properties credentials() {
        Properties properties = new Properties();
        properties.putAll(Map.of("user", SERVER.getUsername(), "password", SERVER.getPassword()));
        return properties;
    }
}
