package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackfillFilesTest {
    private static final Path FILE = Path.of("backfills/tier.sql");

    private static SqlBackfill parse(String text) {
        return BackfillFiles.parse(FILE, text.lines().toList());
    }

    private static void rejects(String text, String message, String fix) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ConfigurationException) e).parameter()).isEqualTo("backfills"))
                .satisfies(e -> assertThat(((ConfigurationException) e).fix()).contains(fix));
    }

    @Test
    void readsTheSpecExample() {
        SqlBackfill backfill = parse("""
                -- backfill: customers_loyalty_tier
                -- after: 5          -- runs right after migration version 5
                -- table: customers
                -- key: id           -- numeric key used for keyset batching
                -- batch: 5000       -- rows per batch (default 1000)
                -- verify: SELECT count(*) = 0 FROM customers WHERE loyalty_tier IS NULL
                UPDATE customers SET loyalty_tier = 'bronze' WHERE id > :from AND id <= :to AND loyalty_tier IS NULL;
                """);
        assertThat(backfill.name()).isEqualTo("customers_loyalty_tier");
        assertThat(backfill.after()).isEqualTo("5");
        assertThat(backfill.table()).isEqualTo("customers");
        assertThat(backfill.key()).isEqualTo("id");
        assertThat(backfill.batch()).isEqualTo(5000);
        assertThat(backfill.verifySql()).isEqualTo("SELECT count(*) = 0 FROM customers WHERE loyalty_tier IS NULL");
        assertThat(backfill.sql()).isEqualTo(
                "UPDATE customers SET loyalty_tier = 'bronze' WHERE id > ? AND id <= ? AND loyalty_tier IS NULL");
        assertThat(backfill.parameters()).containsExactly("from", "to");
        assertThat(backfill.source()).isEqualTo(FILE + ":2");
    }

    @Test
    void defaultsTheNameToTheFileAndTheBatchTo1000AndKeepsCastsAndComments() {
        SqlBackfill backfill = parse("""
                -- Fills the tier column added by V6.
                -- after: 6
                -- table: shop.customers
                -- key: id

                UPDATE shop.customers
                   SET note = 'x'::text
                 WHERE id <= :to AND id > :from AND note IS NULL
                """);
        assertThat(backfill.name()).isEqualTo("tier");
        assertThat(backfill.batch()).isEqualTo(Backfill.DEFAULT_BATCH);
        assertThat(backfill.verifySql()).isNull();
        assertThat(backfill.parameters()).containsExactly("to", "from");
        assertThat(backfill.sql()).contains("'x'::text").contains("id <= ? AND id > ?");
    }

    @Test
    void errorsNameTheFileTheLineAndTheFix() {
        rejects("-- after: 6\n-- table: t\n-- key: id\n-- batch: lots\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;",
                FILE + ":4: '-- batch: lots' is not a positive number of rows", "-- batch: 5000");
        rejects("-- after: 6\n-- table: t\n-- key: id\n-- verfy: SELECT 1\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;",
                FILE + ":4: unknown header '-- verfy:'", "backfill, after, table, key, batch and verify");
        rejects("-- after: 6\n-- key: id\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;",
                FILE + ":1: the '-- table:' header is missing", "-- table: customers");
        rejects("-- after: 6\n-- table: t\n-- key: id\n-- after: 7\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;",
                FILE + ":4: '-- after:' appears twice (first on line 1)", "keep one");
        rejects("-- after: 6\n-- table: t\n-- key: id\n\nUPDATE t SET c = 1\n WHERE c IS NULL;",
                FILE + ":5: the statement does not use both :from and :to", "WHERE id > :from AND id <= :to");
        rejects("-- after: 6\n-- table: t\n-- key: id\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;\nDELETE FROM t;",
                FILE + ":4: more than one statement", "one statement per backfill file");
        rejects("-- after: 6\n-- table: t\n-- key: id\n", FILE + ":3: there is no statement", "UPDATE t SET");
        rejects("-- after:\n-- table: t\n-- key: id\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;",
                FILE + ":1: '-- after:' has no value", "after the colon");
    }

    @Test
    void readsEveryFileOfTheFolderInNameOrder(@TempDir Path folder) throws Exception {
        String body = "-- table: t\n-- key: id\nUPDATE t SET c = 1 WHERE id > :from AND id <= :to;\n";
        Files.writeString(folder.resolve("b.sql"), "-- after: 3\n" + body);
        Files.writeString(folder.resolve("a.sql"), "-- after: 2\n" + body);
        Files.writeString(folder.resolve("notes.txt"), "not a backfill");
        assertThat(BackfillFiles.read(folder)).extracting(Backfill::name, Backfill::after)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "2"), org.assertj.core.groups.Tuple.tuple("b", "3"));
        assertThat(BackfillFiles.read(folder.resolve("absent"))).isEmpty();
    }

    @Test
    void percentilesAreNearestRank() {
        long[] values = {40, 10, 30, 20, 50, 60, 70, 80, 90, 100};
        assertThat(Backfills.percentile(values, 50)).isEqualTo(50);
        assertThat(Backfills.percentile(values, 95)).isEqualTo(100);
        assertThat(Backfills.percentile(new long[] {7}, 95)).isEqualTo(7);
        assertThat(Backfills.percentile(new long[0], 95)).isZero();
    }
}
