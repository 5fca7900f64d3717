package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.RehearsalResult.Stale;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's kept function results, found through {@code pg_depend}: an index (its expression or predicate), a
 * stored generated column ({@code pg_attrdef}) or a check constraint ({@code pg_constraint}) that calls the function.
 */
final class PostgresStoredResults implements StoredResults {
    private static final String CALLS = "d.refclassid = 'pg_proc'::regclass AND d.refobjid = ?";
    private static final String OF = "SELECT 'INDEX', c.oid::regclass::text, i.oid::regclass::text, NULL, NULL, i.oid, "
            + "i.relfilenode FROM pg_depend d JOIN pg_index x ON x.indexrelid = d.objid "
            + "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
            + "WHERE d.classid = 'pg_class'::regclass AND " + CALLS
            + " UNION ALL SELECT 'GENERATED_COLUMN', c.oid::regclass::text, quote_ident(a.attname), "
            + "pg_get_expr(ad.adbin, ad.adrelid), (SELECT quote_ident(r.attname) FROM pg_depend rd "
            + "JOIN pg_attribute r ON r.attrelid = rd.refobjid AND r.attnum = rd.refobjsubid "
            + "WHERE rd.classid = 'pg_attrdef'::regclass AND rd.objid = ad.oid AND rd.refclassid = 'pg_class'::regclass "
            + "AND rd.refobjsubid > 0 ORDER BY r.attnum LIMIT 1), c.oid, a.attnum "
            + "FROM pg_depend d JOIN pg_attrdef ad ON ad.oid = d.objid "
            + "JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum JOIN pg_class c ON c.oid = ad.adrelid "
            + "WHERE d.classid = 'pg_attrdef'::regclass AND " + CALLS + " AND a.attgenerated = 's'"
            + " UNION ALL SELECT 'CHECK', c.oid::regclass::text, quote_ident(con.conname), pg_get_constraintdef(con.oid), "
            + "NULL, con.oid, 0 FROM pg_depend d JOIN pg_constraint con ON con.oid = d.objid "
            + "JOIN pg_class c ON c.oid = con.conrelid WHERE d.classid = 'pg_constraint'::regclass AND " + CALLS
            + " AND con.contype = 'c' ORDER BY 1, 2, 3";
    private static final String FUNCTION = "SELECT CASE provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' "
            + "ELSE 'VOLATILE' END || ' function ' || oid::regprocedure FROM pg_proc WHERE oid = ?";

    @Override
    public Map<Long, String> functions(Connection connection) throws SQLException {
        // A SQL function written BEGIN ATOMIC … END (PostgreSQL 14+) keeps its body parsed, not in prosrc.
        String body = connection.getMetaData().getDatabaseMajorVersion() >= 14
                ? "p.prosrc || coalesce(p.probin, '') || coalesce(p.prosqlbody::text, '')" : "p.prosrc || coalesce(p.probin, '')";
        Map<Long, String> functions = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT p.oid, "
                + "md5(" + body + ") FROM pg_proc p WHERE p.oid IN (SELECT d.refobjid FROM pg_depend d "
                + "WHERE d.refclassid = 'pg_proc'::regclass "
                + "AND d.classid IN ('pg_class'::regclass, 'pg_attrdef'::regclass, 'pg_constraint'::regclass))")) {
            while (rs.next()) {
                functions.put(rs.getLong(1), rs.getString(2));
            }
        }
        return functions;
    }

    @Override
    public List<StoredResult> of(Connection connection, long function) throws SQLException {
        String name;
        try (PreparedStatement query = connection.prepareStatement(FUNCTION)) {
            query.setLong(1, function);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                name = rs.getString(1);
            }
        }
        List<StoredResult> results = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(OF)) {
            for (int i = 1; i <= 3; i++) {
                query.setLong(i, function);
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    results.add(new StoredResult(Kind.valueOf(rs.getString(1)), name, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return results;
    }

    @Override
    public Optional<Stale> stale(Connection connection, StoredResult result) throws SQLException {
        Long rows = null;
        String[] now = switch (result.kind()) {
            // Rebuilt (REINDEX, a rewrite of its table) means new storage.
            case INDEX -> row(connection, "SELECT x.indrelid::regclass::text, x.indexrelid::regclass::text FROM pg_index x "
                    + "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indexrelid = ? AND i.relfilenode = ?",
                    result.id(), result.version());
            case GENERATED_COLUMN -> row(connection, "SELECT a.attrelid::regclass::text, quote_ident(a.attname), "
                    + "pg_get_expr(ad.adbin, ad.adrelid) FROM pg_attribute a JOIN pg_attrdef ad ON ad.adrelid = a.attrelid "
                    + "AND ad.adnum = a.attnum WHERE a.attrelid = ? AND a.attnum = ? AND a.attgenerated = 's' "
                    + "AND NOT a.attisdropped", result.id(), result.version());
            // Added anew, the constraint has another id and was checked by the body of the time.
            case CHECK -> row(connection, "SELECT conrelid::regclass::text, quote_ident(conname), "
                    + "pg_get_expr(conbin, conrelid), pg_get_constraintdef(oid) FROM pg_constraint WHERE oid = ?",
                    result.id());
        };
        if (now == null || !hasRows(connection, now[0])) {
            return Optional.empty();
        }
        String table = now[0];
        String name = now[1];
        if (result.kind() != Kind.INDEX) {
            rows = count(connection, "SELECT count(*) FROM " + table + " WHERE " + (result.kind() == Kind.CHECK
                    ? "NOT (" + now[2] + ")" : name + " IS DISTINCT FROM (" + now[2] + ")"));
            if (Long.valueOf(0).equals(rows)) {
                return Optional.empty(); // every row holds what the function computes now, or passes the check
            }
        }
        StoredResult current = new StoredResult(result.kind(), result.function(), table, name,
                result.kind() == Kind.CHECK ? now[3] : now.length > 2 ? now[2] : null, result.reads(), result.id(),
                result.version());
        return Optional.of(new Stale(result.function(), result.kind().text(), table, name, rows, rebuild(current)));
    }

    @Override
    public String rebuild(StoredResult result) {
        return switch (result.kind()) {
            case INDEX -> "REINDEX INDEX CONCURRENTLY " + result.name() + ", alone in a migration with "
                    + "executeInTransaction=false (REINDEX INDEX without CONCURRENTLY blocks writes and the queries "
                    + "planned with the index)";
            case GENERATED_COLUMN -> (result.reads() == null ? "" : "UPDATE " + result.table() + " SET " + result.reads()
                    + " = " + result.reads() + " in batches of its key (a stored generated column is computed again only "
                    + "when a column it reads is written, not by SET " + result.name() + " = DEFAULT); or, on PostgreSQL "
                    + "17 and later, ") + "ALTER TABLE " + result.table() + " ALTER COLUMN " + result.name()
                    + " SET EXPRESSION AS (" + result.expression() + "), which rewrites " + result.table()
                    + " under an ACCESS EXCLUSIVE lock";
            case CHECK -> "ALTER TABLE " + result.table() + " DROP CONSTRAINT " + result.name() + ", ADD CONSTRAINT "
                    + result.name() + " " + result.expression() + " NOT VALID, then ALTER TABLE " + result.table()
                    + " VALIDATE CONSTRAINT " + result.name() + " (a validated constraint is never checked again, so "
                    + "VALIDATE alone does nothing; VALIDATE reads the table without blocking writes)";
        };
    }

    /** The first row's values as text, or {@code null} when there is none. */
    private static String[] row(Connection connection, String sql, long... parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setLong(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String[] values = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getString(i + 1);
                }
                return values;
            }
        }
    }

    private static boolean hasRows(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The count, or {@code null} when the engine can't compute it (the new body fails on a row). */
    private static Long count(Connection connection, String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
