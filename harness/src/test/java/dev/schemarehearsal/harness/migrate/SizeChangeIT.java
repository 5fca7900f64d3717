package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.SizeChange;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every migration's storage growth on a sample shadow, per table and index, measured and scaled to production by the
 * statistics' row counts (production has 100 times the sample's rows): an index built grows its table, an index
 * dropped frees what it took; the summary gives it beside the migration's duration. On embedded PostgreSQL 15 and a
 * MariaDB 10.11 container.
 */
class SizeChangeIT {
    private static final int ROWS = 30_000;
    private static final long PRODUCTION_ROWS = 100L * ROWS;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mariadb"})
    void eachMigrationsGrowthIsMeasuredAndScaledToProduction(String engine, @TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__items.sql"),
                "CREATE TABLE items (id bigint PRIMARY KEY, name varchar(100) NOT NULL, price int NOT NULL);\n");
        Files.writeString(migrations.resolve("V2__items_name.sql"), "CREATE INDEX items_name ON items (name);\n");
        Files.writeString(migrations.resolve("V3__drop_items_name.sql"), engine.equals("mariadb")
                ? "DROP INDEX items_name ON items;\n" : "DROP INDEX items_name;\n");
        Path data = Files.createDirectories(project.resolve("data"));
        Files.writeString(data.resolve("items.csv"), "id,name,price\n" + IntStream.rangeClosed(1, ROWS)
                .mapToObj(i -> i + ",item number " + i + " of the shop's catalogue," + i % 1000)
                .collect(Collectors.joining("\n", "", "\n")));
        Path stats = Files.writeString(project.resolve("stats.json"),
                "{\"tables\": {\"items\": {\"rows\": " + PRODUCTION_ROWS + "}}}\n");

        Rehearsal.Builder builder = Rehearsal.configure().projectDirectory(project).engine(engine).baseline("1")
                .dataDirectory(Path.of("data")).statistics(stats).failOn("none");
        builder = engine.equals("mariadb") ? builder.shadow("container").engineVersion("10.11")
                : builder.shadow("embedded").engineVersion("15");
        RehearsalResult result = builder.load().run(event -> { });

        assertThat(result.migrations()).extracting(MigrationResult::status).extracting(Enum::name)
                .containsExactly("APPLIED", "APPLIED");
        String index = engine.equals("mariadb") ? "(indexes)" : "items_name";
        List<SizeChange> built = result.migrations().get(0).sizeChange();
        SizeChange table = change(built, null);
        assertThat(table.bytesAfter() - table.bytesBefore()).as("the index's bytes, in the table's whole")
                .isGreaterThan(500_000);
        assertScaled(table);
        SizeChange added = change(built, index);
        assertThat(added.bytesBefore()).isZero();
        assertThat(added.bytesAfter()).isGreaterThan(500_000);
        assertScaled(added);

        List<SizeChange> dropped = result.migrations().get(1).sizeChange();
        assertThat(change(dropped, null).bytesAfter()).isLessThan(change(dropped, null).bytesBefore());
        SizeChange freed = change(dropped, index);
        assertThat(freed.bytesBefore()).isEqualTo(added.bytesAfter());
        assertThat(freed.bytesAfter()).isZero();
        assertScaled(freed);

        String summary = Files.readString(project.resolve("target/schema-rehearsal/summary.md"));
        assertThat(summary).contains("| size change |").containsPattern(
                "\\| V2\\\\_\\\\_items\\\\_name\\.sql \\| applied \\| [^|]+ \\| items \\+[0-9.]+ [kM]B \\([0-9.]+ [kM]B → "
                        + "[0-9.]+ [kM]B\\), at production \\+[0-9.]+ [MG]B \\|").containsPattern(
                "\\| V3\\\\_\\\\_drop\\\\_items\\\\_name\\.sql \\| applied \\| [^|]+ \\| items -[0-9.]+ [kM]B \\([0-9.]+ [kM]B → "
                        + "[0-9.]+ [kM]B\\), at production -[0-9.]+ [MG]B \\|");
        assertThat(Files.readString(project.resolve("target/schema-rehearsal/report.html")))
                .containsPattern("items \\+[0-9.]+ [kM]B \\([0-9.]+ [kM]B → [0-9.]+ [kM]B\\), at production \\+[0-9.]+ [MG]B");
    }

    private static SizeChange change(List<SizeChange> changes, String index) {
        return changes.stream().filter(c -> c.table().endsWith("items") && Objects.equals(c.index(), index))
                .findFirst().orElseThrow(() -> new AssertionError("no size change of items " + index + " in " + changes));
    }

    /** Production's bytes are the measured ones times production's rows over the shadow's. */
    private static void assertScaled(SizeChange change) {
        assertThat(change.estimatedProductionBytesBefore()).isEqualTo(100 * change.bytesBefore());
        assertThat(change.estimatedProductionBytesAfter()).isEqualTo(100 * change.bytesAfter());
    }
}
