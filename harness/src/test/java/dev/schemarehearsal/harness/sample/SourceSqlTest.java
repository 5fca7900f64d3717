package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.plan.QueriesFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parse wall: what a {@code where} rule and a query of {@code queries.sql} may be before the source sees them. */
class SourceSqlTest {
    private static final Dialect POSTGRESQL = Dialect.of(Engine.POSTGRESQL);
    private static final Dialect MARIADB = Dialect.of(Engine.MARIADB);

    private static String condition(Dialect dialect, String text) {
        SourceSql.Problem problem = SourceSql.condition(dialect, text);
        return problem == null ? null : problem.reason();
    }

    private static String select(Dialect dialect, String text) {
        SourceSql.Problem problem = SourceSql.select(dialect, text);
        return problem == null ? null : problem.reason();
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void conditionsAndSelectsThatOnlyReadPass(Engine engine) {
        Dialect dialect = Dialect.of(engine);
        for (String where : List.of("status <> 'test'", "id IN (1999, 2000)", "note = 'a;b'", "note = 'x; DELETE FROM t'",
                "total > 10 /* ; DELETE FROM items */", "total > 10 -- ; COMMIT", "note LIKE '%INSERT INTO%'",
                "id IN (SELECT order_id FROM order_items WHERE qty > 2)", "EXISTS (SELECT 1 FROM t WHERE t.a = b)",
                "lower(email) LIKE '%@example.com'", "\"update\" > 0")) {
            assertThat(condition(dialect, where)).as(where).isNull();
        }
        for (String query : List.of("SELECT 1", "SELECT 'a;b'", "SELECT id FROM orders /* ; DELETE FROM orders */",
                "WITH recent AS (SELECT * FROM orders WHERE id > 5) SELECT count(*) FROM recent",
                "SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1",
                "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'US'")) {
            assertThat(select(dialect, query)).as(query).isNull();
        }
    }

    @Test
    void theAttacksOnTheSourceAreRefused() {
        assertThat(condition(POSTGRESQL, "total > 10) ORDER BY 1 LIMIT 1; COMMIT; BEGIN READ WRITE; "
                + "INSERT INTO items VALUES (1000, 'x'); COMMIT; BEGIN; SELECT * FROM items WHERE (true"))
                .startsWith("';' outside a string or comment ends a statement");
        assertThat(select(POSTGRESQL, "SELECT 1; COMMIT; BEGIN READ WRITE; INSERT INTO items VALUES (1000, 'x')"))
                .startsWith("';' outside a string or comment");
        assertThat(select(MARIADB, "SELECT 1; COMMIT; START TRANSACTION READ WRITE; INSERT INTO items VALUES (1000, 'x')"))
                .startsWith("';' outside a string or comment");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void aSecondStatementIsRefusedWhereverItHides(Engine engine) {
        Dialect dialect = Dialect.of(engine);
        // A comment ends at its line's end: the ';' after it is code.
        assertThat(select(dialect, "SELECT 1 -- a comment\n; DELETE FROM t")).startsWith("';' outside");
        assertThat(select(dialect, "SELECT 1 /* a comment */; DELETE FROM t")).startsWith("';' outside");
        assertThat(select(dialect, "SELECT 'it''s'; DELETE FROM t")).startsWith("';' outside");
        assertThat(select(dialect, "SELECT 1;")).startsWith("';' outside");
        assertThat(condition(dialect, "total > 1;")).startsWith("';' outside");
        assertThat(condition(dialect, "true) OR (1 = 1")).startsWith("the SQL parser does not read it as one condition");
        assertThat(select(dialect, "COMMIT")).isEqualTo("it is COMMIT, not a SELECT");
        assertThat(select(dialect, "EXPLAIN ANALYZE SELECT 1")).endsWith("not a SELECT");
        assertThat(select(dialect, "DELETE FROM t")).startsWith("'DELETE': DELETE writes rows");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MARIADB"})
    void writesAndLocksInsideOneSelectAreRefused(Engine engine) {
        Dialect dialect = Dialect.of(engine);
        assertThat(select(dialect, "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")).startsWith("'DELETE'");
        assertThat(select(dialect, "WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i"))
                .startsWith("'INSERT'");
        assertThat(select(dialect, "WITH u AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM u")).startsWith("'UPDATE'");
        assertThat(select(dialect, "SELECT * INTO copy FROM t")).startsWith("'INTO': SELECT … INTO writes");
        assertThat(select(dialect, "SELECT * FROM t INTO OUTFILE '/tmp/t.csv'")).startsWith("'INTO'");
        assertThat(select(dialect, "SELECT * FROM t FOR UPDATE")).startsWith("'UPDATE'");
        assertThat(select(dialect, "SELECT * FROM t FOR SHARE")).startsWith("'SHARE'");
        assertThat(select(dialect, "SELECT * FROM t LOCK IN SHARE MODE")).startsWith("'LOCK'");
        assertThat(condition(dialect, "id IN (SELECT id FROM t FOR UPDATE)")).startsWith("'UPDATE'");
        assertThat(condition(dialect, "id IN (SELECT id FROM t FOR NO KEY UPDATE)")).startsWith("'UPDATE'");
    }

    @Test
    void functionsThatChangeSomethingAreRefused() {
        for (String where : List.of("set_config('default_transaction_read_only', 'off', false) IS NOT NULL",
                "pg_catalog.set_config('transaction_read_only', 'off', true) = 'off'",
                "\"set_config\"('a.b', 'c', false) = 'c'", "nextval('orders_id_seq') > 0", "pg_advisory_lock(1) IS NULL",
                "lo_unlink(16400) = 1", "dblink_exec('dbname=shop', 'DELETE FROM orders') = 'OK'",
                "query_to_xml('DELETE FROM orders', true, false, '') IS NOT NULL",
                "pg_terminate_backend(42)", "PG_RELOAD_CONF()")) {
            assertThat(condition(POSTGRESQL, where)).as(where).contains("() changes something outside the query");
        }
        assertThat(condition(MARIADB, "GET_LOCK('x', 10) = 1")).contains("GET_LOCK() changes something");
        assertThat(condition(MARIADB, "sys_exec('rm -rf /') = 0")).contains("sys_exec() changes something");
        assertThat(select(MARIADB, "SELECT NEXT VALUE FOR orders_seq")).startsWith("NEXT VALUE FOR advances a sequence");
        assertThat(select(MARIADB, "SELECT NEXTVAL FOR orders_seq")).startsWith("NEXT VALUE FOR advances a sequence");
        // A name that merely starts like one is a column.
        assertThat(condition(POSTGRESQL, "set_config_value = 1")).isNull();
    }

    @Test
    void textTheEngineWouldReadOtherwiseIsRefused() {
        // MySQL and MariaDB run /*! … */ as SQL, and read --x as minus minus x; the parser skips both.
        assertThat(condition(MARIADB, "total > 1 /*! INTO OUTFILE '/tmp/x' */")).startsWith("a /*! … */ comment");
        assertThat(condition(MARIADB, "total > 1 /*M!100000 OR 1 = 1 */")).startsWith("a /*! … */ comment");
        assertThat(condition(MARIADB, "total > 1 --x")).startsWith("'--x': MySQL and MariaDB read '--' as a comment only");
        assertThat(condition(MARIADB, "total > 1 -- a comment")).isNull();
        // With NO_BACKSLASH_ESCAPES, '\' ends the string and what follows is code.
        assertThat(condition(MARIADB, "note = 'it\\'s'")).startsWith("a backslash in 'it\\'s'");
        assertThat(condition(MARIADB, "note = '\\' OR sleep(5) OR '\\'")).isNotNull();
        // PostgreSQL reads a backslash in a string as itself (standard_conforming_strings, which the session sets).
        assertThat(condition(POSTGRESQL, "note = '\\' ; DELETE FROM t; SELECT '\\'")).startsWith("';' outside");
        // Dollar quotes, nested comments: as PostgreSQL reads them.
        assertThat(condition(POSTGRESQL, "note = $q$a;b$q$")).isNull();
        assertThat(condition(POSTGRESQL, "note = $$a;b$$ AND 1 = 1")).isNull();
        assertThat(condition(POSTGRESQL, "total > 1 /* outer /* inner */ ; DELETE FROM t */")).isNull();
        assertThat(condition(POSTGRESQL, "total = 1.5$q$;$q$")).contains("right after a name or number");
    }

    @Test
    void theMessageNamesTheLineWithinTheText() {
        SourceSql.Problem problem = SourceSql.select(POSTGRESQL, "SELECT id\n  FROM orders\n FOR UPDATE");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(SourceSql.select(POSTGRESQL, "SELECT id\r\n FROM t\r\n;\r\nDELETE FROM t").line()).isEqualTo(3);
    }

    /** The workloads shipped with the fixtures and benchmarks are sampled with their queries: every one must pass. */
    @Test
    void theShippedWorkloadsPass() {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        check(POSTGRESQL, repository.resolve("fixtures/shop/src/rehearsal/queries.sql"));
        check(MARIADB, repository.resolve("fixtures/shop-mariadb/src/rehearsal/queries.sql"));
        check(POSTGRESQL, repository.resolve("harness/src/test/resources/dev/schemarehearsal/harness/sample/fidelity-queries.sql"));
    }

    private static void check(Dialect dialect, Path file) {
        List<Query> queries = QueriesFile.read(file);
        assertThat(queries).isNotEmpty();
        for (Query query : queries) {
            assertThat(select(dialect, query.sql())).as(query.location()).isNull();
        }
    }
}
