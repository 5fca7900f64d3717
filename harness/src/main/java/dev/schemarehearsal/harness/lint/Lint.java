package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.LintResult.LintFinding;
import dev.schemarehearsal.harness.api.LintResult.MigrationRecord;
import dev.schemarehearsal.harness.api.LintResult.NotAnalysed;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.migrate.FlywayScripts;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.StringProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.Parser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * {@code schema:lint}: static analysis of the pending migrations, no database. Every migration is read in version
 * order, so the rules know the columns and constraints the earlier ones declared; the pending ones (above the
 * baseline, as in the rehearsal) are checked statement by statement.
 *
 * <pre>{@code
 * LintResult result = Lint.run(Rehearsal.configure().baseline("3").load().config());
 * }</pre>
 */
public final class Lint {
    private Lint() {
    }

    public static LintResult run(RehearsalConfig config) {
        FlywayScripts.checkBaseline(config.migrations().locations(), config.migrations().baseline());
        StaticRules rules = StaticRules.of(config.shadow().engine(), config.shadow().engineVersion());
        List<NotAnalysed> notAnalysed = new ArrayList<>();
        config.migrations().locations().stream().filter(l -> !l.startsWith("filesystem:")).forEach(l -> notAnalysed.add(
                new NotAnalysed(l, 0, "not analysed: lint reads filesystem: locations only; schema:rehearse applies it")));
        NavigableMap<MigrationVersion, Path> scripts = FlywayScripts.versionedScripts(config.migrations().locations());
        MigrationVersion baseline = FlywayScripts.baselineVersion(config.migrations().baseline());

        // Scripts are read in parallel, one Flyway splitter and one SQL parser per thread; the rules then run in order.
        // The splitters share one Flyway configuration: making one loads all of Flyway's plugins.
        Configuration flyway = Flyway.configure(Lint.class.getClassLoader());
        ThreadLocal<Reader> readers = ThreadLocal.withInitial(() -> new Reader(rules.splitter(flyway),
                new CCJSqlParser(new StringProvider(""))));
        List<Read> all = scripts.entrySet().parallelStream().map(e -> read(e, readers.get(), rules, config)).toList();
        Schema schema = new Schema();
        List<LintFinding> findings = new ArrayList<>();
        List<LintFinding> ignored = new ArrayList<>();
        List<Script> pending = new ArrayList<>();
        for (Read read : all) {
            if (read.unreadable() != null) {
                notAnalysed.add(read.unreadable());
                continue;
            }
            Script script = read.script();
            if (read.version().compareTo(baseline) <= 0) {
                script.statements().forEach(s -> apply(schema, s));
                continue;
            }
            schema.startPending();
            pending.add(script);
            String file = display(config, script.path());
            if (script.statements().isEmpty()) {
                notAnalysed.add(new NotAnalysed(file, 1, "empty: " + FlywayScripts.emptyScript(script.version())));
            }
            if (config.migrations().requireRationale() && (script.header("why") == null || script.header("approved-by") == null)) {
                findings.add(new LintFinding(Finding.ofMigration(Rule.MISSING_RATIONALE, script.version(), null, null,
                        "the migration has no " + (script.header("why") == null ? "'-- why: …'" : "'-- approved-by: …'")
                                + " header line. Fix: start the script with '-- why: <the reason for the change>' and "
                                + "'-- approved-by: <who approved it>'"), file, 1, null));
            }
            StaticRules.Session session = new StaticRules.Session();
            for (ParsedStatement statement : script.statements()) {
                if (statement.unread(schema)) {
                    notAnalysed.add(new NotAnalysed(file, statement.line(), "not analysed: " + statement.parseError()
                            + "; schema:rehearse measures it"));
                    continue;
                }
                List<StaticRules.Hit> hits = new ArrayList<>();
                if (statement.parsed() != null) {
                    rules.check(statement.parsed(), schema, session, hits);
                } else {
                    rules.check(statement.recognised(), schema, session, hits);
                }
                apply(schema, statement);
                for (StaticRules.Hit hit : hits) {
                    Finding finding = new Finding(hit.rule(), hit.severity(), script.version(), statement.index(),
                            hit.table(), null, hit.message());
                    String reason = statement.ignores().get(hit.rule());
                    (reason == null ? findings : ignored).add(new LintFinding(finding, file, statement.line(), reason));
                }
            }
        }
        Comparator<LintFinding> order = Comparator.comparing(LintFinding::file).thenComparingInt(LintFinding::line);
        findings.sort(order);
        List<LintFinding> failures = findings.stream().filter(f -> config.limits().failOn().matches(f.finding())).toList();
        return new LintResult(config.shadow().engine(), config.shadow().engineVersion(), findings, ignored, notAnalysed,
                records(config, pending), failures);
    }

    private static void apply(Schema schema, ParsedStatement statement) {
        if (statement.parsed() != null) {
            schema.apply(statement.parsed());
        } else if (statement.recognised() != null) {
            schema.apply(statement.recognised());
        }
    }

    /** A thread's Flyway splitter and SQL parser. */
    private record Reader(Parser splitter, CCJSqlParser parser) { }

    /** One script as read, or why it could not be. */
    private record Read(MigrationVersion version, Script script, NotAnalysed unreadable) { }

    private static Read read(Map.Entry<MigrationVersion, Path> entry, Reader reader, StaticRules rules,
                             RehearsalConfig config) {
        try {
            return new Read(entry.getKey(), Script.read(entry.getValue(), entry.getKey().getVersion(),
                    reader.splitter(), reader.parser(), rules.dialect()), null);
        } catch (FlywayException e) {
            return new Read(entry.getKey(), null, new NotAnalysed(display(config, entry.getValue()), 0,
                    "not analysed: Flyway could not split the script (" + e.getMessage() + "); schema:rehearse applies it"));
        }
    }

    private static List<MigrationRecord> records(RehearsalConfig config, List<Script> pending) {
        Map<Path, GitHistory.Change> changes = GitHistory.lastChanges(config.projectDirectory(),
                pending.stream().map(s -> s.path().getParent()).distinct().toList());
        return pending.stream().map(script -> {
            GitHistory.Change change = changes.get(real(script.path()));
            return new MigrationRecord(script.version(), script.description(), script.path().getFileName().toString(),
                    display(config, script.path()), script.header("why"), script.header("approved-by"),
                    change == null ? null : change.author(), change == null ? null : change.date());
        }).toList();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The script's path relative to the project, as a build log shows it. */
    private static String display(RehearsalConfig config, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(config.projectDirectory()) ? config.projectDirectory().relativize(absolute).toString()
                : absolute.toString();
    }
}
