package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.schemarehearsal.it.ShopRehearsalIT.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every goal resolves its default paths against its own module's folder, not the folder Maven was started in: one
 * module built with {@code mvn -f inventory/pom.xml} from the folder above it, and both modules of a reactor build.
 * The folder above has a {@code src/rehearsal/queries.sql} of its own (query {@code not_a_module_query}) that no
 * module may read.
 */
class ProjectFolderIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostgreSQLContainer SOURCE = new PostgreSQLContainer("postgres:15");
    private static final List<String> MODULES = List.of("inventory", "billing");

    @BeforeAll
    static void source() throws Exception {
        SOURCE.start();
        try (Connection connection = DriverManager.getConnection(SOURCE.getJdbcUrl(), SOURCE.getUsername(),
                SOURCE.getPassword()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id int PRIMARY KEY, sku varchar(20) NOT NULL, quantity int NOT NULL)");
            statement.execute("INSERT INTO items SELECT i, 'SKU-' || i, i % 10 FROM generate_series(1, 50) i");
            statement.execute("CREATE TABLE invoices (id int PRIMARY KEY, code varchar(20) NOT NULL, "
                    + "amount numeric(10,2) NOT NULL)");
            statement.execute("INSERT INTO invoices SELECT i, 'INV-' || i, i * 7.5 FROM generate_series(1, 50) i");
            statement.execute("ANALYZE");
            statement.execute("CREATE ROLE sampler LOGIN PASSWORD 'change-me'");
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO sampler");
        }
    }

    @AfterAll
    static void stop() {
        SOURCE.stop();
    }

    @Test
    void rehearseReadsTheModulesFilesWithDashF() throws Exception {
        MavenBuild build = MavenBuild.of("modules", "modules-rehearse-f").arg("-f").arg("inventory/pom.xml")
                .arg("-Dschema.shadow=embedded").arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertRehearsed(build, "inventory", "items");
        assertThat(build.project().resolve("billing/target")).doesNotExist();
        assertThat(build.project().resolve("target")).doesNotExist();
    }

    @Test
    void rehearseReadsEachModulesFilesInAReactor() throws Exception {
        MavenBuild build = MavenBuild.of("modules", "modules-rehearse-reactor").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Schema rehearsal skipped (schema.skip)");
        assertRehearsed(build, "inventory", "items");
        assertRehearsed(build, "billing", "invoices");
    }

    @Test
    void lintReadsEachModulesMigrationsWithDashFAndInAReactor() throws Exception {
        MavenBuild single = MavenBuild.of("modules", "modules-lint-f").goal("schema:lint").arg("-f")
                .arg("billing/pom.xml").withoutDocker();
        MavenBuild.Result singleResult = single.run();
        assertThat(singleResult.exitCode()).as(singleResult.log()).isZero();
        assertLinted(single, "billing", "invoices");
        assertThat(single.project().resolve("inventory/target")).doesNotExist();

        MavenBuild reactor = MavenBuild.of("modules", "modules-lint-reactor").goal("schema:lint").withoutDocker();
        MavenBuild.Result reactorResult = reactor.run();
        assertThat(reactorResult.exitCode()).as(reactorResult.log()).isZero();
        assertLinted(reactor, "inventory", "items");
        assertLinted(reactor, "billing", "invoices");
    }

    @Test
    void sampleCapturesEachModulesQueriesWithDashFAndInAReactor() throws Exception {
        MavenBuild single = sample("modules-sample-f").arg("-f").arg("inventory/pom.xml");
        MavenBuild.Result singleResult = single.run();
        assertThat(singleResult.exitCode()).as(singleResult.log()).isZero();
        assertSampled(single, "inventory", "items");
        assertThat(single.project().resolve("billing/src/rehearsal/plans.json")).doesNotExist();

        MavenBuild reactor = sample("modules-sample-reactor");
        MavenBuild.Result reactorResult = reactor.run();
        assertThat(reactorResult.exitCode()).as(reactorResult.log()).isZero();
        assertSampled(reactor, "inventory", "items");
        assertSampled(reactor, "billing", "invoices");
        // The folder Maven started in got nothing: its queries are no module's.
        assertThat(reactor.project().resolve("src/rehearsal/plans.json")).doesNotExist();
        assertThat(reactor.project().resolve("src/rehearsal/data")).doesNotExist();
    }

    private static MavenBuild sample(String scenario) throws Exception {
        MavenBuild build = MavenBuild.of("modules", scenario).goal("schema:sample")
                .arg("-Dschema.sourceUrl=" + SOURCE.getJdbcUrl()).arg("-Dschema.sourceUser=sampler")
                .arg("-Dschema.sourcePassword=change-me");
        for (String module : MODULES) {
            Path data = build.project().resolve(module).resolve("src/rehearsal/data");
            try (var files = Files.list(data)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        return build;
    }

    /** The module's report: its own table loaded, its own query planned, its own pending migration applied. */
    private static void assertRehearsed(MavenBuild build, String module, String table) throws Exception {
        JsonNode report = JSON.readTree(build.project().resolve(module).resolve("target/schema-rehearsal/report.json")
                .toFile());
        assertThat(names(report.at("/data/tables"), "table")).containsExactly(table);
        assertThat(report.at("/data/tables/0/rows").asLong()).isEqualTo(20);
        assertThat(names(report.get("queries"), "name")).containsExactly(module + "_query");
        assertThat(names(report.get("migrations"), "script")).containsExactly("V2__" + table + "_index.sql");
    }

    private static void assertLinted(MavenBuild build, String module, String table) throws Exception {
        JsonNode lint = JSON.readTree(build.project().resolve(module).resolve("target/schema-rehearsal/lint.json")
                .toFile());
        assertThat(names(lint.get("records"), "script")).containsExactly("V2__" + table + "_index.sql");
        assertThat(names(lint.get("findings"), "file")).containsOnly(
                "src/main/resources/db/migration/V2__" + table + "_index.sql");
    }

    /** The module's sample: its own table's rows, and production's plan of its own query, of no other. */
    private static void assertSampled(MavenBuild build, String module, String table) throws Exception {
        Path rehearsal = build.project().resolve(module).resolve("src/rehearsal");
        assertThat(Files.readAllLines(rehearsal.resolve("data/" + table + ".csv"))).hasSize(6);
        JsonNode plans = JSON.readTree(rehearsal.resolve("plans.json").toFile());
        List<String> queries = new ArrayList<>();
        plans.get("queries").fieldNames().forEachRemaining(queries::add);
        assertThat(queries).containsExactly(module + "_query");
        assertThat(build.project().resolve(module).resolve("target/schema-rehearsal/sample-summary.json"))
                .isRegularFile();
    }
}
