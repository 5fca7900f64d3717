package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.Renamed;
import dev.schemarehearsal.harness.api.RehearsalResult.Stale;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Rewrite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.api.Durations.human;

/**
 * Turns what was measured into findings. The measurement decides (a rewrite, a lock blocking writes, a scan);
 * the statement's text only says which safe alternative applies.
 */
final class StatementFindings {
    private static final Pattern ADD_COLUMN_DEFAULT = sql("\\bADD\\s+(COLUMN\\s+)?.*\\bDEFAULT\\b");
    private static final Pattern STORED_GENERATED = sql("\\bADD\\b.*\\bAS\\s*\\(.*\\)\\s*(STORED|PERSISTENT)\\b");
    private static final Pattern SEQUENCE_COLUMN = sql("\\bADD\\b.*(\\b(SMALL|BIG)?SERIAL[248]?\\b|\\bAS\\s+IDENTITY\\b|\\bAUTO_INCREMENT\\b)");
    private static final Pattern TYPE_CHANGE = sql("\\bALTER\\s+(COLUMN\\s+)?\\S+\\s+(SET\\s+DATA\\s+)?TYPE\\b|\\b(MODIFY|CHANGE)\\b");
    private static final Pattern SET_LOGGED = sql("\\bSET\\s+LOGGED\\b");
    private static final Pattern SET_UNLOGGED = sql("\\bSET\\s+UNLOGGED\\b");
    private static final Pattern REBUILD = sql("^\\s*(VACUUM\\b.*\\bFULL\\b|CLUSTER\\b|OPTIMIZE\\b)|\\bFORCE\\s*;?\\s*$|\\bENGINE\\s*=");
    private static final Pattern TRUNCATE = sql("^\\s*TRUNCATE\\b");
    private static final Pattern LEADING_COMMENTS = sql("^(\\s*(--[^\\n]*(\\n|$)|/\\*.*?\\*/))*\\s*");
    private static final Pattern CREATE_INDEX = sql("\\bCREATE\\s+(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\b|\\bADD\\s+(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?(INDEX|KEY)\\b");
    private static final Pattern SET_NOT_NULL = sql("\\bSET\\s+NOT\\s+NULL\\b");
    private static final Pattern ADD_CONSTRAINT = sql("\\bADD\\s+(CONSTRAINT\\b|FOREIGN\\s+KEY\\b|CHECK\\b)");
    private static final Pattern NOT_VALID = sql("\\bNOT\\s+VALID\\b");
    private static final Pattern FOREIGN_KEY = sql("\\bFOREIGN\\s+KEY\\b");

    private final Dialect dialect;
    private final long maxStallMs;

    StatementFindings(Dialect dialect, long maxStallMs) {
        this.dialect = dialect;
        this.maxStallMs = maxStallMs;
    }

    private static Pattern sql(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /**
     * The findings of one migration's statements. A failed migration's only other finding is non-atomic-migration,
     * when its failure left the schema changed: its failure is what matters, and production would stop there.
     */
    List<Finding> of(MigrationResult migration) {
        List<Finding> findings = new ArrayList<>();
        if (migration.status() == MigrationStatus.APPLIED) {
            migration.statements().forEach(statement -> of(migration, statement, findings));
        } else if (!migration.leftBehind().isEmpty()) {
            StatementResult failed = migration.statements().isEmpty() ? null
                    : migration.statements().get(migration.statements().size() - 1);
            findings.add(Finding.ofMigration(Rule.NON_ATOMIC_MIGRATION, migration.version(),
                    failed == null ? null : failed.index(), null, migration.script() + " failed"
                            + (failed == null ? "" : " at statement " + failed.index())
                            + " and left the schema half-changed: " + String.join("; ", migration.leftBehind())
                            + ". Safe alternative: " + dialect.atomicityAlternative()));
        }
        return findings;
    }

    private void of(MigrationResult migration, StatementResult statement, List<Finding> findings) {
        String where = migration.script() + " statement " + statement.index()
                + (statement.line() == null ? "" : " (line " + statement.line() + ")");
        String sql = statement.sql();
        Rewrite kind = rewrite(sql);
        for (String table : statement.rewrites()) {
            String measured = where + " rewrote the whole of " + table + " in " + human(statement.durationMs())
                    + lockedBy(statement, table);
            boolean online = statement.locks().stream().noneMatch(l -> l.table().equals(table) && !l.blocks().isEmpty());
            findings.add(finding(Rule.TABLE_REWRITE, migration, statement, table, measured + ". Safe alternative: "
                    + dialect.rewriteAlternative(kind, online)));
            if (kind == Rewrite.VOLATILE_DEFAULT) {
                findings.add(finding(Rule.VOLATILE_DEFAULT, migration, statement, table, where + " added a column with a "
                        + "volatile default, which rewrote " + table + " in " + human(statement.durationMs())
                        + lockedBy(statement, table) + ". Safe alternative: "
                        + dialect.rewriteAlternative(Rewrite.VOLATILE_DEFAULT, online)));
            }
        }
        for (Destroyed destroyed : statement.destroyed()) {
            String what = destroyed.column() == null ? "dropped table " + destroyed.table()
                    : destroyed.from() == null ? "dropped column " + destroyed.table() + "." + destroyed.column()
                    : "narrowed column " + destroyed.table() + "." + destroyed.column() + " from " + destroyed.from()
                    + " to " + destroyed.to();
            findings.add(finding(Rule.DESTRUCTIVE_CHANGE, migration, statement, destroyed.table(), where + " " + what
                    + ": the application still running against the old schema breaks, and values can be lost. "
                    + "Safe alternative: expand first, move readers and writers over, then contract in a later release"));
        }
        for (Renamed renamed : statement.renamed()) {
            String what = renamed.column() == null ? "table " + renamed.table()
                    : "column " + renamed.table() + "." + renamed.column();
            String old = renamed.column() == null ? renamed.table() : renamed.column();
            findings.add(finding(Rule.BREAKING_RENAME, migration, statement, renamed.table(), where + " renamed " + what
                    + " to " + renamed.to() + ": the application version still running uses " + old + " and fails "
                    + "from the moment the migration commits; no data is lost. Safe alternative: "
                    + dialect.renameAlternative(renamed.table(), renamed.column(), renamed.to())));
        }
        Map<String, List<Stale>> staleByFunction = statement.stale().stream()
                .collect(Collectors.groupingBy(Stale::function, LinkedHashMap::new, Collectors.toList()));
        staleByFunction.forEach((function, stale) -> findings.add(finding(Rule.STALE_DEPENDENT_DATA, migration, statement,
                stale.get(0).table(), where + " redefined " + function + " and left what the database keeps of its old "
                        + "body: " + stale.stream().map(StatementFindings::stale).collect(Collectors.joining("; "))
                        + ". Rebuild " + (stale.size() == 1 ? "it" : "them") + " right after the function changes: "
                        + stale.stream().map(Stale::rebuild).collect(Collectors.joining("; ")) + ". Safe alternative: "
                        + "create the new body as a new function and move the index, column or check to it (a new "
                        + "index built concurrently beside the old one)")));
        for (Lock lock : statement.locks()) {
            if (lock.takenBy(statement.index()) && lock.blocks().contains(Access.WRITES) && CREATE_INDEX.matcher(sql).find()) {
                findings.add(finding(Rule.INDEX_NOT_CONCURRENT, migration, statement, lock.table(), where + " built an "
                        + "index holding " + lock.mode() + " on " + lock.table() + " for " + human(lock.heldMs())
                        + ", blocking " + blocks(lock) + ". Safe alternative: " + dialect.indexAlternative()));
            }
        }
        Optional<Lock> firstBlocking = statement.locks().stream()
                .filter(l -> l.takenBy(statement.index()) && !l.blocks().isEmpty()).findFirst();
        if (firstBlocking.isPresent() && Long.valueOf(0).equals(statement.lockTimeoutMs())) {
            Lock lock = firstBlocking.get();
            findings.add(finding(Rule.MISSING_LOCK_TIMEOUT, migration, statement, lock.table(), where + " took "
                    + lock.mode() + " on " + lock.table() + " (blocks " + blocks(lock) + ") with no lock timeout: "
                    + "behind a long transaction it would wait, and every query on " + lock.table() + " would queue "
                    + "behind it. Safe alternative: " + dialect.lockTimeoutAlternative()));
        }
        // A stall no lock window explains: the statement's session held the probes up with a lock it only queued for.
        boolean explained = migration.windows().stream()
                .anyMatch(w -> w.covers(statement.index()) && w.probeStallMs() >= statement.probeStallMs());
        if (statement.probeStallMs() > maxStallMs && !explained) {
            findings.add(finding(Rule.BLOCKING_LOCK, migration, statement, null, where + " stalled the probe workload for "
                    + human(statement.probeStallMs()) + " (limit " + human(maxStallMs) + "). Safe alternative: "
                    + lockAlternative(dialect, statement)).withImpact(statement.probeStallMs()));
        }
        for (String table : statement.scans()) {
            Optional<Lock> blocking = strongest(statement, table);
            if (blocking.isEmpty()) {
                continue;
            }
            String scanned = where + " read all of " + table + " in " + human(statement.durationMs()) + " holding "
                    + blocking.get().mode() + " (blocks " + blocks(blocking.get()) + ")";
            if (SET_NOT_NULL.matcher(sql).find()) {
                findings.add(finding(Rule.NOT_NULL_SCAN, migration, statement, table, scanned + " to check NOT NULL. "
                        + "Safe alternative: " + dialect.notNullAlternative()));
            } else if (ADD_CONSTRAINT.matcher(sql).find() && !NOT_VALID.matcher(sql).find()) {
                findings.add(finding(Rule.CONSTRAINT_VALIDATION_SCAN, migration, statement, table, scanned
                        + " to validate the constraint. Safe alternative: "
                        + dialect.constraintAlternative(FOREIGN_KEY.matcher(sql).find())));
            }
        }
    }

    /**
     * The safe alternative to the statement's blocking lock, for the engine and what the statement did: its rewrite,
     * its index build, its NOT NULL check or constraint validation, else the engine's general advice.
     */
    static String lockAlternative(Dialect dialect, StatementResult statement) {
        String sql = statement.sql();
        if (!statement.rewrites().isEmpty()) {
            return dialect.rewriteAlternative(rewrite(sql), false);
        }
        if (CREATE_INDEX.matcher(sql).find()) {
            return dialect.indexAlternative();
        }
        if (SET_NOT_NULL.matcher(sql).find()) {
            return dialect.notNullAlternative();
        }
        if (ADD_CONSTRAINT.matcher(sql).find() && !NOT_VALID.matcher(sql).find()) {
            return dialect.constraintAlternative(FOREIGN_KEY.matcher(sql).find());
        }
        return dialect.blockingLockAlternative();
    }

    /**
     * Which kind of statement rewrote the table, from its text: the measurement says that it did, the kind which
     * alternative applies. A generated or sequence column added is told before a default, a default before a type.
     */
    static Rewrite rewrite(String text) {
        String sql = LEADING_COMMENTS.matcher(text).replaceFirst("");
        if (STORED_GENERATED.matcher(sql).find()) {
            return Rewrite.STORED_GENERATED_COLUMN;
        }
        if (SEQUENCE_COLUMN.matcher(sql).find()) {
            return Rewrite.SEQUENCE_COLUMN;
        }
        if (ADD_COLUMN_DEFAULT.matcher(sql).find()) {
            return Rewrite.VOLATILE_DEFAULT;
        }
        if (SET_LOGGED.matcher(sql).find()) {
            return Rewrite.SET_LOGGED;
        }
        if (SET_UNLOGGED.matcher(sql).find()) {
            return Rewrite.SET_UNLOGGED;
        }
        if (TRUNCATE.matcher(sql).find()) {
            return Rewrite.TRUNCATE;
        }
        if (REBUILD.matcher(sql).find()) {
            return Rewrite.REBUILD;
        }
        return TYPE_CHANGE.matcher(sql).find() ? Rewrite.TYPE_CHANGE : Rewrite.OTHER;
    }

    /** What a stale result holds, with the rows measured. */
    private static String stale(Stale stale) {
        return switch (stale.kind()) {
            case "index" -> "index " + stale.name() + " on " + stale.table() + " keeps entries by the old body, so "
                    + "queries that use it miss rows or find wrong ones";
            case "generated column" -> "generated column " + stale.table() + "." + stale.name() + " holds "
                    + (stale.rows() == null ? "values" : String.format("%,d row%s", stale.rows(), stale.rows() == 1 ? "" : "s"))
                    + " the function now computes otherwise";
            default -> "check " + stale.name() + " on " + stale.table() + " was validated by the old body"
                    + (stale.rows() == null ? "" : String.format("; %,d row%s fail%s it now (VALIDATE fails until "
                    + "%s fixed)", stale.rows(), stale.rows() == 1 ? "" : "s", stale.rows() == 1 ? "s" : "",
                    stale.rows() == 1 ? "it is" : "they are"));
        };
    }

    private static String lockedBy(StatementResult statement, String table) {
        return strongest(statement, table).map(l -> ", holding " + l.mode() + " for " + human(l.heldMs()) + " (blocks "
                + blocks(l) + (l.takenBy(statement.index()) ? "" : ", taken by statement " + l.acquiredBy()) + ")")
                .orElse("");
    }

    /** The lock held on the table while the statement ran that blocks most, its own or an earlier statement's. */
    private static Optional<Lock> strongest(StatementResult statement, String table) {
        return statement.locks().stream().filter(l -> l.table().equals(table) && !l.blocks().isEmpty())
                .max(Comparator.comparingInt((Lock l) -> l.blocks().size()));
    }

    static String blocks(Lock lock) {
        return blocks(lock.blocks());
    }

    /** What a lock blocks, e.g. {@code reads and writes}. */
    static String blocks(List<Access> blocked) {
        return String.join(" and ", blocked.stream().map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    private static Finding finding(Rule rule, MigrationResult migration, StatementResult statement, String table,
                                   String message) {
        return Finding.ofMigration(rule, migration.version(), statement.index(), table, message);
    }
}
