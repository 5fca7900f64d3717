package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Stale;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.tuple;

/**
 * IMMUTABLE functions redefined under what PostgreSQL keeps of their results, on embedded PostgreSQL 15 and 18: an
 * expression index, a partial index's predicate, a stored generated column and a check constraint each keep what the
 * old body computed, found through {@code pg_depend} and named with the statements that rebuild them. A function
 * nothing stored calls, a body redefined unchanged, and results rebuilt later in the same migration are not findings.
 */
class PostgresStaleDependentsIT {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"15", "18"})
    void redefinedFunctionsNameWhatToRebuild(String major, @TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__shop.sql"), """
                CREATE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE
                    RETURN lower(e);
                CREATE FUNCTION valid_sku(sku text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
                BEGIN
                    RETURN sku ~ '^[A-Z]{2}-[0-9]+$';
                END
                $$;
                CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(t) $$;
                CREATE FUNCTION price_band(cents integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT cents / 1000 $$;

                CREATE TABLE customers (
                    id bigint PRIMARY KEY,
                    email text NOT NULL,
                    email_key text GENERATED ALWAYS AS (normalize_email(email)) STORED
                );
                CREATE INDEX customers_email_idx ON customers (normalize_email(email));
                CREATE TABLE products (
                    id bigint PRIMARY KEY,
                    sku text NOT NULL CONSTRAINT products_sku_check CHECK (valid_sku(sku)),
                    title text NOT NULL
                );
                CREATE INDEX products_valid_idx ON products (id) WHERE valid_sku(sku);
                CREATE VIEW product_slugs AS SELECT id, slugify(title) AS slug FROM products;
                CREATE TABLE orders (
                    id bigint PRIMARY KEY,
                    cents integer NOT NULL,
                    band integer GENERATED ALWAYS AS (price_band(cents)) STORED
                );
                CREATE INDEX orders_band_idx ON orders (price_band(cents));

                INSERT INTO customers (id, email) SELECT g, CASE WHEN g % 10 = 0 THEN 'User' || g || '+news@Example.com'
                    ELSE 'user' || g || '@example.com' END FROM generate_series(1, 1000) g;
                INSERT INTO products SELECT g, 'AB-' || g, 'Product ' || g FROM generate_series(1, 1500) g;
                INSERT INTO orders (id, cents) SELECT g, g * 7 FROM generate_series(1, 2000) g;
                """);
        // A tag after '+' no longer counts: 100 customers' email_key and every index entry of theirs change.
        Files.writeString(migrations.resolve("V2__email_tags.sql"), """
                CREATE OR REPLACE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE
                    RETURN regexp_replace(lower(e), '[+][^@]*@', '@');
                """);
        // Four digits now: the 999 products numbered 1 to 999 fail the check they passed, and the partial index holds
        // them still.
        Files.writeString(migrations.resolve("V3__stricter_sku.sql"), """
                SET lock_timeout = '2s';
                CREATE OR REPLACE FUNCTION valid_sku(sku text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
                BEGIN
                    RETURN sku ~ '^[A-Z]{2}-[0-9]{4}$';
                END
                $$;
                """);
        // The same body again, and a function only a view calls: nothing kept is computed otherwise.
        Files.writeString(migrations.resolve("V4__unchanged_and_unstored.sql"), """
                CREATE OR REPLACE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE
                    RETURN regexp_replace(lower(e), '[+][^@]*@', '@');
                CREATE OR REPLACE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE
                    AS $$ SELECT regexp_replace(lower(t), '[^a-z0-9]+', '-', 'g') $$;
                """);
        // Redefined, then rebuilt in the same migration: nothing is left stale.
        Files.writeString(migrations.resolve("V5__bands_rebuilt.sql"), """
                SET lock_timeout = '2s';
                CREATE OR REPLACE FUNCTION price_band(cents integer) RETURNS integer LANGUAGE sql IMMUTABLE
                    AS $$ SELECT cents / 500 $$;
                REINDEX INDEX orders_band_idx;
                UPDATE orders SET cents = cents;
                """);

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion(major)
                .baseline("1").failOn("none").load().run(event -> { });

        SoftAssertions soft = new SoftAssertions();
        StatementResult email = statement(result, "2", 1);
        soft.assertThat(email.stale()).extracting(Stale::function, Stale::kind, Stale::table, Stale::name, Stale::rows)
                .containsExactly(
                        tuple("IMMUTABLE function normalize_email(text)", "generated column", "customers", "email_key", 100L),
                        tuple("IMMUTABLE function normalize_email(text)", "index", "customers", "customers_email_idx", null));
        soft.assertThat(rules(result, "2")).containsExactly(Rule.STALE_DEPENDENT_DATA);
        soft.assertThat(finding(result, "2")).satisfies(f -> {
            soft.assertThat(f.statement()).isEqualTo(1);
            soft.assertThat(f.table()).isEqualTo("customers");
            soft.assertThat(f.message()).contains("redefined IMMUTABLE function normalize_email(text)",
                    "generated column customers.email_key holds 100 rows the function now computes otherwise",
                    "index customers_email_idx on customers keeps entries by the old body",
                    "UPDATE customers SET email = email in batches",
                    "REINDEX INDEX CONCURRENTLY customers_email_idx", "Safe alternative: ");
        });

        StatementResult sku = statement(result, "3", 2);
        soft.assertThat(sku.stale()).extracting(Stale::kind, Stale::table, Stale::name, Stale::rows).containsExactly(
                tuple("check", "products", "products_sku_check", 999L),
                tuple("index", "products", "products_valid_idx", null));
        soft.assertThat(rules(result, "3")).containsExactly(Rule.STALE_DEPENDENT_DATA);
        soft.assertThat(finding(result, "3").message()).contains("IMMUTABLE function valid_sku(text)",
                "check products_sku_check on products was validated by the old body; 999 rows fail it now",
                "ADD CONSTRAINT products_sku_check CHECK (valid_sku(sku)) NOT VALID",
                "VALIDATE CONSTRAINT products_sku_check", "REINDEX INDEX CONCURRENTLY products_valid_idx");

        MigrationResult unchanged = migration(result, "4");
        soft.assertThat(unchanged.statements()).hasSize(2).allSatisfy(s -> soft.assertThat(s.stale()).isEmpty());
        MigrationResult rebuilt = migration(result, "5");
        soft.assertThat(rebuilt.statements()).hasSize(4).allSatisfy(s -> soft.assertThat(s.stale()).isEmpty());
        soft.assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.STALE_DEPENDENT_DATA)
                .extracting(Finding::migration).containsExactly("2", "3");
        soft.assertAll();
    }

    private static MigrationResult migration(RehearsalResult result, String version) {
        return result.migrations().stream().filter(m -> version.equals(m.version())).findFirst().orElseThrow();
    }

    private static StatementResult statement(RehearsalResult result, String version, int index) {
        return migration(result, version).statements().get(index - 1);
    }

    private static Finding finding(RehearsalResult result, String version) {
        return result.findings().stream().filter(f -> version.equals(f.migration())
                && f.rule() == Rule.STALE_DEPENDENT_DATA).findFirst().orElseThrow();
    }

    /** The rules found on a migration's statements; blocking-lock depends on the machine's speed and is left out. */
    private static List<Rule> rules(RehearsalResult result, String version) {
        return result.findings().stream().filter(f -> version.equals(f.migration()) && f.rule() != Rule.BLOCKING_LOCK)
                .map(Finding::rule).toList();
    }
}
