package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.LintResult.LintFinding;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each static rule, positive and negative, on PostgreSQL, MySQL and MariaDB. */
class LintRulesTest {
    private static final String PG_TABLES = """
            CREATE TABLE customers (id bigint PRIMARY KEY, name text);
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total integer, note varchar(40),
                amount numeric(10,2), code text, status text NOT NULL);
            """;
    private static final String MY_TABLES = """
            CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(100));
            CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT, total INT, note VARCHAR(40),
                code VARCHAR(300), status VARCHAR(16) NOT NULL);
            """;

    @TempDir
    Path project;

    // ---- PostgreSQL

    @Test
    void postgresTableRewrite() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ALTER COLUMN total TYPE bigint;"))
                .contains(Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ALTER COLUMN code TYPE varchar(20) USING left(code, 20);"))
                .contains(Rule.TABLE_REWRITE);
        // Binary-coercible: text to varchar without length, a longer varchar, a wider numeric at the same scale.
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ALTER COLUMN code TYPE varchar;"))
                .doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ALTER COLUMN note TYPE varchar(80);"))
                .doesNotContain(Rule.TABLE_REWRITE, Rule.DESTRUCTIVE_CHANGE);
        assertThat(rules("postgresql", "14", PG_TABLES, "ALTER TABLE orders ALTER COLUMN amount TYPE numeric(14,2);"))
                .doesNotContain(Rule.TABLE_REWRITE);
    }

    @Test
    void postgresTypeOfUnknownColumnIsNotGuessed() throws IOException {
        LintResult result = lint("postgresql", "16", PG_TABLES, "ALTER TABLE invoices ALTER COLUMN total TYPE bigint;");
        LintFinding finding = only(result, Rule.TABLE_REWRITE);
        assertThat(finding.finding().severity()).isEqualTo(Severity.INFO);
        assertThat(finding.finding().message()).contains("schema:rehearse");
    }

    @Test
    void postgresVolatileDefaultByVersion() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ADD COLUMN tracking uuid DEFAULT gen_random_uuid();"))
                .contains(Rule.VOLATILE_DEFAULT, Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "18", PG_TABLES, "ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false;"))
                .doesNotContain(Rule.VOLATILE_DEFAULT, Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "15", PG_TABLES, "ALTER TABLE orders ADD COLUMN created timestamptz DEFAULT now();"))
                .doesNotContain(Rule.VOLATILE_DEFAULT, Rule.TABLE_REWRITE);
        // Before 11 every default rewrote.
        assertThat(rules("postgresql", "10", PG_TABLES, "ALTER TABLE orders ADD COLUMN flag boolean DEFAULT false;"))
                .contains(Rule.TABLE_REWRITE);
    }

    @Test
    void postgresIndexNotConcurrent() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "CREATE INDEX orders_code_idx ON orders (code);"))
                .contains(Rule.INDEX_NOT_CONCURRENT);
        assertThat(rules("postgresql", "16", PG_TABLES, "CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);"))
                .doesNotContain(Rule.INDEX_NOT_CONCURRENT);
        // A table the pending migrations create is empty in production.
        assertThat(rules("postgresql", "16", PG_TABLES, "CREATE TABLE notes (id bigint, body text);\nCREATE INDEX notes_idx ON notes (body);"))
                .isEmpty();
    }

    @Test
    void postgresNotNullScan() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ALTER COLUMN code SET NOT NULL;"))
                .contains(Rule.NOT_NULL_SCAN);
        assertThat(rules("postgresql", "16", PG_TABLES + """
                ALTER TABLE orders ADD CONSTRAINT code_not_null CHECK (code IS NOT NULL) NOT VALID;
                ALTER TABLE orders VALIDATE CONSTRAINT code_not_null;
                """, "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN code SET NOT NULL;"))
                .isEmpty();
    }

    @Test
    void postgresConstraintValidationScan() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk "
                + "FOREIGN KEY (customer_id) REFERENCES customers (id);")).contains(Rule.CONSTRAINT_VALIDATION_SCAN);
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk "
                + "FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;")).doesNotContain(Rule.CONSTRAINT_VALIDATION_SCAN);
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);"))
                .contains(Rule.CONSTRAINT_VALIDATION_SCAN);
    }

    @Test
    void postgresDestructiveChange() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders DROP COLUMN note;")).contains(Rule.DESTRUCTIVE_CHANGE);
        assertThat(rules("postgresql", "16", PG_TABLES, "DROP TABLE customers;")).contains(Rule.DESTRUCTIVE_CHANGE);
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ALTER COLUMN note TYPE varchar(10);"))
                .contains(Rule.DESTRUCTIVE_CHANGE);
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ADD COLUMN memo text;"))
                .doesNotContain(Rule.DESTRUCTIVE_CHANGE);
    }

    @Test
    void postgresMissingLockTimeout() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "ALTER TABLE orders ADD COLUMN memo text;"))
                .containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("postgresql", "16", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN memo text;"))
                .isEmpty();
    }

    @Test
    void postgresBlockingLock() throws IOException {
        assertThat(rules("postgresql", "16", PG_TABLES, "SET lock_timeout = '2s';\nLOCK TABLE orders IN EXCLUSIVE MODE;"))
                .contains(Rule.BLOCKING_LOCK);
        assertThat(rules("postgresql", "16", PG_TABLES, "SET lock_timeout = '2s';\nLOCK TABLE orders IN ROW SHARE MODE;"))
                .isEmpty();
        assertThat(rules("postgresql", "16", PG_TABLES, "CREATE TABLE notes (id bigint);\nLOCK TABLE notes IN EXCLUSIVE MODE;"))
                .isEmpty();
    }

    @Test
    void postgresRebuildsAndPersistenceChangesRewrite() throws IOException {
        assertThat(rules("postgresql", "15", PG_TABLES, "VACUUM FULL orders;"))
                .containsExactly(Rule.TABLE_REWRITE, Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("postgresql", "15", PG_TABLES, "VACUUM (FULL, ANALYZE) orders, customers;"))
                .containsExactly(Rule.TABLE_REWRITE, Rule.MISSING_LOCK_TIMEOUT, Rule.TABLE_REWRITE, Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("postgresql", "15", PG_TABLES, "VACUUM (ANALYZE) orders;\nVACUUM orders;\nANALYZE orders;")).isEmpty();
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nCLUSTER orders USING orders_pkey;"))
                .containsExactly(Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders SET UNLOGGED;"))
                .containsExactly(Rule.TABLE_REWRITE);
        // SET LOGGED rewrites an unlogged table; on a logged one it changes nothing.
        assertThat(rules("postgresql", "15", PG_TABLES + "CREATE UNLOGGED TABLE imports (id bigint, line text);\n",
                "SET lock_timeout = '2s';\nALTER TABLE imports SET LOGGED;")).containsExactly(Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders SET LOGGED;")).isEmpty();
        LintFinding unknown = only(lint("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE invoices SET LOGGED;"),
                Rule.TABLE_REWRITE);
        assertThat(unknown.finding().severity()).isEqualTo(Severity.INFO);
        assertThat(only(lint("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nVACUUM FULL orders;"), Rule.TABLE_REWRITE)
                .finding().message()).contains("pg_repack");
    }

    @Test
    void postgresTimestampConversionRewritesUnlessTheSessionIsInUtc() throws IOException {
        String tables = PG_TABLES + "CREATE TABLE events (id bigint, at timestamptz, local_at timestamp without time zone);\n";
        LintFinding toTimestamp = only(lint("postgresql", "15", tables,
                "SET lock_timeout = '2s';\nALTER TABLE events ALTER COLUMN at TYPE timestamp;"), Rule.TABLE_REWRITE);
        assertThat(toTimestamp.finding().severity()).isEqualTo(Severity.WARNING);
        assertThat(toTimestamp.finding().message()).contains("unless TimeZone is UTC");
        assertThat(only(lint("postgresql", "15", tables, "SET lock_timeout = '2s';\n"
                + "ALTER TABLE events ALTER COLUMN local_at TYPE timestamp(6) with time zone;"), Rule.TABLE_REWRITE)
                .finding().severity()).isEqualTo(Severity.WARNING);
        // Before PostgreSQL 12 the conversion always rewrote.
        assertThat(only(lint("postgresql", "11", tables, "SET lock_timeout = '2s';\nALTER TABLE events ALTER COLUMN at TYPE timestamp;"),
                Rule.TABLE_REWRITE).finding().severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void postgresUsingTheColumnItselfIsNoConversion() throws IOException {
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN code TYPE text USING code;"))
                .isEmpty();
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN code TYPE text USING (code::text);"))
                .isEmpty();
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN note TYPE text USING note;"))
                .isEmpty();
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN code TYPE text USING lower(code);"))
                .containsExactly(Rule.TABLE_REWRITE);
        assertThat(rules("postgresql", "15", PG_TABLES, "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN total TYPE bigint USING total;"))
                .containsExactly(Rule.TABLE_REWRITE);
    }

    @Test
    void postgresTriggersReindexAndStatementsWithoutTableLocks() throws IOException {
        String function = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n";
        assertThat(rules("postgresql", "15", PG_TABLES + function,
                "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();"))
                .containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("postgresql", "15", PG_TABLES + function, "DROP TRIGGER IF EXISTS orders_touch ON orders;"))
                .containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("postgresql", "15", PG_TABLES + "CREATE INDEX orders_code_idx ON orders (code);\n",
                "REINDEX INDEX orders_code_idx;")).containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(only(lint("postgresql", "15", PG_TABLES + "CREATE INDEX orders_code_idx ON orders (code);\n",
                "REINDEX INDEX orders_code_idx;"), Rule.MISSING_LOCK_TIMEOUT).finding().table()).isEqualTo("orders");
        assertThat(rules("postgresql", "15", PG_TABLES, "REINDEX TABLE CONCURRENTLY orders;")).isEmpty();
        // A column called trigger is no trigger.
        assertThat(rules("postgresql", "15", PG_TABLES, "CREATE TABLE alarms (id bigint, trigger text);\n"
                + "CREATE INDEX alarms_trigger_idx ON alarms (trigger);")).isEmpty();
        assertThat(rules("postgresql", "15", PG_TABLES, """
                GRANT SELECT ON orders TO PUBLIC;
                COMMENT ON COLUMN orders.code IS 'the customer''s code';
                CREATE SEQUENCE IF NOT EXISTS order_number_seq START WITH 1000;
                ALTER INDEX IF EXISTS orders_pkey RENAME TO orders_id_pkey;
                DO $$ BEGIN RAISE NOTICE 'done'; END $$;
                """)).isEmpty();
    }

    @Test
    void postgresDoBlocksAreReadForTheDdlTheyRun() throws IOException {
        LintResult guarded = lint("postgresql", "15", PG_TABLES, """
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'total_positive') THEN
                        ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);
                    END IF;
                END
                $$;
                """);
        assertThat(guarded.notAnalysed()).isEmpty();
        assertThat(guarded.findings()).extracting(f -> f.finding().rule(), LintFinding::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Rule.CONSTRAINT_VALIDATION_SCAN, 4),
                        org.assertj.core.groups.Tuple.tuple(Rule.MISSING_LOCK_TIMEOUT, 4));
        assertThat(guarded.findings()).allSatisfy(f -> assertThat(f.finding().statement()).isEqualTo(1));
        assertThat(rules("postgresql", "15", PG_TABLES, """
                DO $$ BEGIN
                    CREATE TYPE order_state AS ENUM ('open', 'paid');
                EXCEPTION WHEN duplicate_object THEN NULL;
                END $$;
                CREATE TABLE notes (id bigint);
                DO $body$ BEGIN ALTER TABLE notes ADD COLUMN seq bigserial; END $body$;
                """)).isEmpty();
        LintResult dynamic = lint("postgresql", "15", PG_TABLES,
                "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN memo text', 'orders'); END $$;");
        assertThat(dynamic.notAnalysed()).singleElement().satisfies(n -> assertThat(n.reason()).contains("dynamic SQL"));
    }

    @Test
    void lintsSafeAlternativeFitsTheEngineAndTheStatement() throws IOException {
        assertThat(message("postgresql", "15", PG_TABLES, "ALTER TABLE orders ADD COLUMN total2 bigint GENERATED ALWAYS AS (total * 2) STORED;",
                Rule.TABLE_REWRITE)).contains("VIRTUAL").doesNotContain("set the default", "pg_repack");
        assertThat(message("postgresql", "15", PG_TABLES, "ALTER TABLE orders ADD COLUMN seq bigserial;", Rule.TABLE_REWRITE))
                .contains("nextval").doesNotContain("set the default for new rows");
        assertThat(message("postgresql", "15", PG_TABLES, "ALTER TABLE orders ALTER COLUMN total TYPE bigint;", Rule.TABLE_REWRITE))
                .contains("add a column of the new type").doesNotContain("pg_repack", "gh-ost");
        assertThat(message("postgresql", "15", PG_TABLES, "ALTER TABLE orders ADD COLUMN memo text;", Rule.MISSING_LOCK_TIMEOUT))
                .contains("SET lock_timeout = '2s'");
        assertThat(message("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN total2 INT AS (total * 2) STORED;",
                Rule.TABLE_REWRITE)).contains("VIRTUAL (ALGORITHM=INSTANT", "gh-ost").doesNotContain("set the default", "PostgreSQL");
        assertThat(message("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders MODIFY total BIGINT;", Rule.TABLE_REWRITE))
                .contains("gh-ost", "pt-online-schema-change").doesNotContain("pg_repack", "VACUUM");
        assertThat(message("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN c INT, ALGORITHM=COPY;", Rule.TABLE_REWRITE))
                .startsWith("ALGORITHM=COPY").contains("ALGORITHM=INPLACE, LOCK=NONE where the operation allows it");
        assertThat(message("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT;", Rule.MISSING_LOCK_TIMEOUT))
                .contains("lock_wait_timeout").doesNotContain("lock_timeout =");
        assertThat(message("mariadb", "10.11", MY_TABLES, "CREATE FULLTEXT INDEX orders_note_ft ON orders (note);",
                Rule.INDEX_NOT_CONCURRENT)).contains("gh-ost").doesNotContain("CONCURRENTLY");
    }

    private String message(String engine, String version, String baseline, String pending, Rule rule) throws IOException {
        return only(lint(engine, version, baseline, pending), rule).finding().message();
    }

    // ---- MySQL

    @Test
    void mysqlTableRewrite() throws IOException {
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders MODIFY total BIGINT;")).contains(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.4", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT, ALGORITHM=COPY;"))
                .contains(Rule.TABLE_REWRITE);
        // A longer VARCHAR within the same length-byte range is INPLACE without a copy.
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders MODIFY note VARCHAR(80);"))
                .doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders MODIFY note VARCHAR(400);"))
                .contains(Rule.TABLE_REWRITE);
        // CHANGE compares with the old column: a rename alone copies nothing.
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders CHANGE COLUMN note memo VARCHAR(40);"))
                .doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders CHANGE COLUMN total amount BIGINT;"))
                .contains(Rule.TABLE_REWRITE);
    }

    @Test
    void mysqlInstantAddColumnByVersion() throws IOException {
        String positioned = "ALTER TABLE orders ADD COLUMN memo TEXT AFTER total, ALGORITHM=INSTANT;";
        assertThat(rules("mysql", "8.0.20", MY_TABLES, positioned)).contains(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0.30", MY_TABLES, positioned)).doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0.20", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT;"))
                .doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0.10", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT;"))
                .contains(Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0.28", MY_TABLES, "ALTER TABLE orders DROP COLUMN note;"))
                .contains(Rule.TABLE_REWRITE, Rule.DESTRUCTIVE_CHANGE);
        assertThat(rules("mysql", "8.4", MY_TABLES, "ALTER TABLE orders DROP COLUMN note;"))
                .contains(Rule.DESTRUCTIVE_CHANGE).doesNotContain(Rule.TABLE_REWRITE);
    }

    @Test
    void mysqlVolatileDefault() throws IOException {
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders ADD COLUMN tracking CHAR(36) NOT NULL DEFAULT (UUID());"))
                .contains(Rule.VOLATILE_DEFAULT, Rule.TABLE_REWRITE);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders ADD COLUMN flag TINYINT NOT NULL DEFAULT 0;"))
                .doesNotContain(Rule.VOLATILE_DEFAULT, Rule.TABLE_REWRITE);
    }

    @Test
    void mysqlIndexAndLocks() throws IOException {
        assertThat(rules("mysql", "8.0", MY_TABLES, "CREATE INDEX orders_note_idx ON orders (note) LOCK=SHARED;"))
                .contains(Rule.INDEX_NOT_CONCURRENT);
        assertThat(rules("mysql", "8.0", MY_TABLES, "CREATE INDEX orders_note_idx ON orders (note) ALGORITHM=INPLACE LOCK=NONE;"))
                .doesNotContain(Rule.INDEX_NOT_CONCURRENT);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT, LOCK=EXCLUSIVE;"))
                .contains(Rule.BLOCKING_LOCK);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders ADD INDEX orders_note_idx (note), ALGORITHM=INPLACE, LOCK=NONE;"))
                .doesNotContain(Rule.BLOCKING_LOCK, Rule.INDEX_NOT_CONCURRENT);
    }

    @Test
    void mysqlNotNullAndConstraints() throws IOException {
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders MODIFY note VARCHAR(40) NOT NULL;"))
                .contains(Rule.NOT_NULL_SCAN);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders MODIFY status VARCHAR(16) NOT NULL;"))
                .doesNotContain(Rule.NOT_NULL_SCAN);
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk "
                + "FOREIGN KEY (customer_id) REFERENCES customers (id);")).contains(Rule.CONSTRAINT_VALIDATION_SCAN);
        assertThat(rules("mysql", "8.0", MY_TABLES, "SET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT "
                + "orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);"))
                .doesNotContain(Rule.CONSTRAINT_VALIDATION_SCAN);
    }

    @Test
    void mysqlLockTimeout() throws IOException {
        assertThat(rules("mysql", "8.0", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT;"))
                .containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("mysql", "8.0", MY_TABLES, "SET SESSION lock_wait_timeout = 5;\nALTER TABLE orders ADD COLUMN memo TEXT;"))
                .isEmpty();
    }

    @Test
    void mysqlRebuildsTriggersAndTableLocks() throws IOException {
        assertThat(rules("mysql", "8.0", MY_TABLES, "SET SESSION lock_wait_timeout = 5;\nOPTIMIZE TABLE orders;"))
                .containsExactly(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "SET SESSION lock_wait_timeout = 5;\nALTER TABLE orders FORCE;"))
                .containsExactly(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "SET SESSION lock_wait_timeout = 5;\nALTER TABLE orders ENGINE=InnoDB ROW_FORMAT=DYNAMIC;"))
                .containsExactly(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "LOCK TABLES orders WRITE;\nUNLOCK TABLES;"))
                .containsExactly(Rule.BLOCKING_LOCK, Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW\n"
                + "BEGIN\n  IF NEW.status <> OLD.status THEN\n    SET @changed = 1;\n  END IF;\nEND;"))
                .containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("mysql", "8.0", MY_TABLES, "CREATE DEFINER=`app`@`%` TRIGGER orders_ai AFTER INSERT ON orders "
                + "FOR EACH ROW SET @inserted = 1;")).containsExactly(Rule.MISSING_LOCK_TIMEOUT);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "/*!40101 SET NAMES utf8mb4 */;\n/*!40014 SET FOREIGN_KEY_CHECKS=0 */;\n"
                + "ALTER TABLE orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id);"))
                .doesNotContain(Rule.CONSTRAINT_VALIDATION_SCAN);
    }

    // ---- MariaDB

    @Test
    void mariadbInstantAddAndDropByVersion() throws IOException {
        String positioned = "ALTER TABLE orders ADD COLUMN memo TEXT AFTER total;";
        assertThat(rules("mariadb", "10.3", MY_TABLES, positioned)).contains(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.6", MY_TABLES, positioned)).doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders DROP COLUMN note;"))
                .contains(Rule.DESTRUCTIVE_CHANGE).doesNotContain(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders MODIFY total BIGINT;"))
                .contains(Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders MODIFY note VARCHAR(100);"))
                .doesNotContain(Rule.TABLE_REWRITE);
    }

    @Test
    void mariadbVolatileDefaultAndIndexes() throws IOException {
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN tracking CHAR(36) NOT NULL DEFAULT (UUID());"))
                .contains(Rule.VOLATILE_DEFAULT);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN tier VARCHAR(16) NULL, ALGORITHM=INSTANT;"))
                .doesNotContain(Rule.VOLATILE_DEFAULT, Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "CREATE INDEX orders_note_idx ON orders (note) LOCK=SHARED;"))
                .contains(Rule.INDEX_NOT_CONCURRENT);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "CREATE INDEX orders_note_idx ON orders (note) ALGORITHM=INPLACE LOCK=NONE;"))
                .doesNotContain(Rule.INDEX_NOT_CONCURRENT);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD FULLTEXT INDEX orders_note_ft (note);"))
                .contains(Rule.INDEX_NOT_CONCURRENT);
    }

    @Test
    void mariadbLocksAndConstraints() throws IOException {
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders MODIFY note VARCHAR(40) NOT NULL;"))
                .contains(Rule.NOT_NULL_SCAN);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);"))
                .contains(Rule.CONSTRAINT_VALIDATION_SCAN);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT, LOCK=SHARED;"))
                .contains(Rule.BLOCKING_LOCK);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "DROP TABLE customers;")).contains(Rule.DESTRUCTIVE_CHANGE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, "SET lock_wait_timeout = 5;\nCREATE TABLE notes (id INT);"))
                .isEmpty();
        assertThat(rules("mariadb", "10.11", MY_TABLES, "ALTER TABLE orders ADD COLUMN memo TEXT;"))
                .containsExactly(Rule.MISSING_LOCK_TIMEOUT);
    }

    // ---- every engine

    @Test
    void findingsNameFileLineAndSafeAlternative() throws IOException {
        LintResult result = lint("postgresql", "16", PG_TABLES,
                "-- why: look orders up by code\n-- approved-by: dba\nSET lock_timeout = '2s';\n\nCREATE INDEX orders_code_idx ON orders (code);\n");
        LintFinding finding = only(result, Rule.INDEX_NOT_CONCURRENT);
        assertThat(finding.file()).isEqualTo(Path.of("src/main/resources/db/migration/V2__pending.sql").toString());
        assertThat(finding.line()).isEqualTo(5);
        assertThat(finding.finding().statement()).isEqualTo(2);
        assertThat(finding.finding().migration()).isEqualTo("2");
        assertThat(finding.finding().message()).contains("Safe alternative: CREATE INDEX CONCURRENTLY");
    }

    @Test
    void ignoreCommentSilencesOneRuleWithItsReason() throws IOException {
        for (String engine : List.of("postgresql", "mysql", "mariadb")) {
            LintResult result = lint(engine, engine.equals("postgresql") ? "16" : engine.equals("mysql") ? "8.0" : "10.11",
                    engine.equals("postgresql") ? PG_TABLES : MY_TABLES,
                    "-- schema:ignore destructive-change the column was unused since release 41\nALTER TABLE orders DROP COLUMN note;");
            assertThat(result.findings()).extracting(f -> f.finding().rule())
                    .doesNotContain(Rule.DESTRUCTIVE_CHANGE).contains(Rule.MISSING_LOCK_TIMEOUT);
            assertThat(result.ignored()).singleElement().satisfies(f -> {
                assertThat(f.finding().rule()).isEqualTo(Rule.DESTRUCTIVE_CHANGE);
                assertThat(f.ignoredBecause()).isEqualTo("the column was unused since release 41");
            });
        }
    }

    @Test
    void ignoreCommentWithoutReasonNamesFileAndLine() {
        assertThatThrownBy(() -> lint("postgresql", "16", PG_TABLES,
                "SET lock_timeout = '2s';\n-- schema:ignore destructive-change\nALTER TABLE orders DROP COLUMN note;"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("V2__pending.sql:2: '-- schema:ignore destructive-change' needs a known rule id and a reason");
    }

    @Test
    void statementTheParserCannotReadIsReportedNotGuessed() throws IOException {
        LintResult result = lint("postgresql", "16", PG_TABLES, "SET lock_timeout = '2s';\n"
                + "ALTER TABLE orders ALTER COLUMN code SET (n_distinct = 100);\n"
                + "IMPORT FOREIGN SCHEMA remote FROM SERVER archive INTO public;\n"
                + "CREATE INDEX orders_code_idx ON orders (code);\n");
        assertThat(result.notAnalysed()).extracting(LintResult.NotAnalysed::line).containsExactly(2, 3);
        assertThat(result.notAnalysed().get(0).reason()).contains("parser could not read line 2").contains("schema:rehearse");
        assertThat(result.findings()).extracting(f -> f.finding().rule()).containsExactly(Rule.INDEX_NOT_CONCURRENT);
    }

    @Test
    void anEmptyPendingScriptIsReportedAsNothingToRehearse() throws IOException {
        LintResult result = lint("postgresql", "16", PG_TABLES, "-- the statements come later\n\n   \n");
        assertThat(result.findings()).isEmpty();
        assertThat(result.notAnalysed()).singleElement().satisfies(n -> {
            assertThat(n.file()).isEqualTo("src/main/resources/db/migration/V2__pending.sql");
            assertThat(n.line()).isEqualTo(1);
            assertThat(n.reason()).isEqualTo("empty: no statement, only comments or blank lines: nothing to rehearse; "
                    + "Flyway applies it as a no-op and records version 2 as applied. Fix: write its statements, or "
                    + "remove the file if it is not meant as a migration");
        });
        // The baseline's scripts are production's history: an empty one there is nobody's concern now.
        assertThat(lint("postgresql", "16", "", "CREATE TABLE t (id int);").notAnalysed()).isEmpty();
    }

    @Test
    void anAlterTheParserCannotReadIsReadEnoughOnANewTable() throws IOException {
        LintResult result = lint("postgresql", "16", PG_TABLES, "CREATE TABLE notes (id bigint, body text);\n"
                + "ALTER TABLE notes ALTER COLUMN body SET (n_distinct = 100);\n");
        assertThat(result.notAnalysed()).isEmpty();
        assertThat(result.findings()).isEmpty();
    }

    @Test
    void namesThatAreTheParsersKeywordsAreRead() throws IOException {
        // JSqlParser reads "key varchar(100)" as an index and "settings" as its keyword; lint quotes them and reads on.
        assertThat(rules("postgresql", "16", PG_TABLES, """
                SET lock_timeout = '2s';
                CREATE TABLE settings (key varchar(100) PRIMARY KEY, value text NOT NULL, type varchar(20));
                CREATE INDEX settings_type_idx ON settings (type);
                ALTER TABLE settings RENAME COLUMN key TO name;
                ALTER TABLE IF EXISTS settings RENAME TO site_settings;
                CREATE INDEX site_settings_value_idx ON site_settings (value);
                ALTER TABLE site_settings ALTER COLUMN type SET DATA TYPE text;
                """)).isEmpty();
        assertThat(rules("postgresql", "16", PG_TABLES + "CREATE TABLE settings (key varchar(100) NOT NULL, value text);\n",
                "SET lock_timeout TO '2s';\nALTER TABLE settings ALTER COLUMN key SET DATA TYPE varchar(50);"))
                .containsExactly(Rule.DESTRUCTIVE_CHANGE, Rule.TABLE_REWRITE);
        assertThat(rules("mariadb", "10.11", MY_TABLES, """
                SET lock_wait_timeout = 5;
                CREATE TABLE `config` (`key` varchar(100) NOT NULL, `value` text, PRIMARY KEY (`key`)) ENGINE=InnoDB;
                ALTER TABLE `config` ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
                RENAME TABLE `config` TO `setting`;
                ALTER TABLE `setting` ADD FULLTEXT KEY `ft_value` (`value`);
                """)).isEmpty();
    }

    @Test
    void aRenameOfAnExistingTableOrColumnIsABreakingRenameNotADrop() throws IOException {
        String tables = PG_TABLES + "CREATE TABLE settings (key varchar(100) PRIMARY KEY, value text NOT NULL);\n";
        LintResult result = lint("postgresql", "16", tables, """
                ALTER TABLE IF EXISTS settings RENAME TO site_settings;
                ALTER TABLE customers RENAME COLUMN name TO display_name;
                """);
        assertThat(result.notAnalysed()).isEmpty();
        assertThat(result.findings()).extracting(f -> f.finding().rule(), LintFinding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Rule.BREAKING_RENAME, 1),
                org.assertj.core.groups.Tuple.tuple(Rule.MISSING_LOCK_TIMEOUT, 1),
                org.assertj.core.groups.Tuple.tuple(Rule.BREAKING_RENAME, 2),
                org.assertj.core.groups.Tuple.tuple(Rule.MISSING_LOCK_TIMEOUT, 2));
        assertThat(result.findings().get(0).finding().message()).startsWith("renaming table settings to site_settings "
                + "breaks the application version still using settings").contains("no data is lost",
                "CREATE VIEW settings AS SELECT * FROM site_settings in the same transaction");
        assertThat(result.findings().get(2).finding().message()).contains("renaming column customers.name to "
                + "display_name", "add display_name beside name");
        // Renaming a constraint or an index, or a table the pending migrations created, breaks nobody.
        assertThat(rules("postgresql", "16", PG_TABLES + "CREATE INDEX orders_code ON orders (code);\n", """
                SET lock_timeout = '2s';
                ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO orders_id_pkey;
                CREATE TABLE drafts (id bigint, body text);
                ALTER TABLE drafts RENAME TO notes;
                ALTER TABLE notes RENAME COLUMN body TO text;
                """)).isEmpty();

        assertThat(rules("mariadb", "10.11", MY_TABLES + "CREATE TABLE settings (`key` varchar(100) PRIMARY KEY, `value` text);\n", """
                RENAME TABLE settings TO site_settings;
                ALTER TABLE customers CHANGE name display_name VARCHAR(100);
                ALTER TABLE orders CHANGE COLUMN note note VARCHAR(80);
                ALTER TABLE orders RENAME INDEX orders_code TO orders_code_idx;
                """)).containsExactly(Rule.BREAKING_RENAME, Rule.MISSING_LOCK_TIMEOUT, Rule.BREAKING_RENAME,
                Rule.MISSING_LOCK_TIMEOUT, Rule.MISSING_LOCK_TIMEOUT, Rule.MISSING_LOCK_TIMEOUT);
    }

    @Test
    void aStatementAfterABlockCommentIsReportedAtItsOwnLine() throws IOException {
        LintResult result = lint("postgresql", "16", PG_TABLES, """
                SET lock_timeout = '2s';
                /* The orders are looked up by code
                   from the support tool. */
                CREATE INDEX orders_code_idx ON orders (code);
                /* Codes are nearly unique:
                   tell the planner. */
                ALTER TABLE orders
                    ALTER COLUMN code SET (n_distinct = -1);
                """);
        assertThat(only(result, Rule.INDEX_NOT_CONCURRENT).line()).isEqualTo(4);
        assertThat(result.notAnalysed()).singleElement().satisfies(n -> {
            assertThat(n.line()).isEqualTo(7);
            assertThat(n.reason()).contains("parser could not read line 8 at");
        });
    }

    @Test
    void requireRationaleFailsAMigrationWithoutItsHeader() throws IOException {
        for (String engine : List.of("postgresql", "mysql", "mariadb")) {
            Path dir = Files.createDirectories(project.resolve(engine));
            write(dir, "V1__tables.sql", "CREATE TABLE t (id INT);");
            write(dir, "V2__why.sql", "-- why: customers asked for notes\n-- approved-by: Dana (DBA)\nCREATE TABLE n (id INT);");
            write(dir, "V3__no_why.sql", "-- approved-by: Dana (DBA)\nCREATE TABLE m (id INT);");
            LintResult result = Lint.run(Rehearsal.configure().projectDirectory(dir).engine(engine)
                    .locations(List.of("filesystem:.")).baseline("1").requireRationale(true).load().config());
            assertThat(result.failures()).singleElement().satisfies(f -> {
                assertThat(f.finding().rule()).isEqualTo(Rule.MISSING_RATIONALE);
                assertThat(f.finding().migration()).isEqualTo("3");
                assertThat(f.file()).isEqualTo("V3__no_why.sql");
            });
            assertThat(result.records()).extracting(LintResult.MigrationRecord::why)
                    .containsExactly("customers asked for notes", null);
        }
    }

    // ---- helpers

    private List<Rule> rules(String engine, String version, String baseline, String pending) throws IOException {
        LintResult result = lint(engine, version, baseline, pending);
        // A negative case only means something when the parser read every statement.
        assertThat(result.notAnalysed()).as("statements lint did not analyse").isEmpty();
        return result.findings().stream().map(f -> f.finding().rule()).toList();
    }

    @Test
    void baselineNoneMakesEveryMigrationPendingOnTablesThatAreAllNew() throws IOException {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        write(migrations, "V1__tables.sql", PG_TABLES);
        write(migrations, "V2__index.sql", "CREATE INDEX orders_code_idx ON orders (code);");
        LintResult none = Lint.run(Rehearsal.configure().projectDirectory(project).baseline("none").load().config());

        assertThat(none.records()).extracting(LintResult.MigrationRecord::version).containsExactly("1", "2");
        // Production has no orders table yet: an index built on it blocks nobody.
        assertThat(none.findings()).isEmpty();
        LintResult one = Lint.run(Rehearsal.configure().projectDirectory(project).baseline("1").load().config());
        assertThat(one.findings()).extracting(f -> f.finding().rule()).contains(Rule.INDEX_NOT_CONCURRENT);
    }

    private LintResult lint(String engine, String version, String baseline, String pending) throws IOException {
        Path migrations = project.resolve("src/main/resources/db/migration");
        Files.createDirectories(migrations);
        write(migrations, "V1__tables.sql", baseline);
        write(migrations, "V2__pending.sql", pending);
        return Lint.run(Rehearsal.configure().projectDirectory(project).engine(engine).engineVersion(version)
                .baseline("1").load().config());
    }

    private static LintFinding only(LintResult result, Rule rule) {
        List<LintFinding> matching = result.findings().stream().filter(f -> f.finding().rule() == rule).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }
}
