package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.Rule;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code TEST-schema-rehearsal.xml}: JUnit XML for CI test views, one test case per thing rehearsed. A case fails
 * when one of its findings fails the verdict; its other findings are its output.
 */
final class JUnitReport {
    static final String SUITE = "schema-rehearsal";
    private static final Set<Rule> BACKFILL_RULES = EnumSet.of(Rule.BACKFILL_SLOW, Rule.BACKFILL_UNVERIFIED,
            Rule.NOT_IDEMPOTENT);

    /** One test case and the findings about it. */
    private record Case(String classname, String name, long durationMs, List<Finding> findings) { }

    private JUnitReport() {
    }

    static void write(RehearsalResult result, Path file) throws IOException {
        // A backfill's and a query's findings also name a migration: their own cases claim them first.
        List<Case> backfills = backfills(result);
        List<Case> queries = queries(result);
        Set<Finding> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
        backfills.forEach(c -> claimed.addAll(c.findings()));
        queries.forEach(c -> claimed.addAll(c.findings()));
        List<Case> cases = new ArrayList<>(migrations(result, claimed));
        cases.addAll(backfills);
        cases.addAll(queries);
        cases.forEach(c -> claimed.addAll(c.findings()));
        List<Finding> unclaimed = result.findings().stream().filter(f -> !claimed.contains(f)).toList();
        if (!unclaimed.isEmpty()) {
            // Findings about no single case (a repeatable migration re-applied, say) still show, and still fail.
            cases.add(new Case(SUITE, "rehearsal", 0, unclaimed));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            attribute(xml, "name", SUITE);
            attribute(xml, "tests", Integer.toString(cases.size()));
            attribute(xml, "failures", Long.toString(cases.stream().filter(c -> !failing(result, c).isEmpty()).count()));
            attribute(xml, "errors", "0");
            attribute(xml, "skipped", "0");
            attribute(xml, "time", seconds(result.phases().stream().mapToLong(RehearsalResult.Phase::durationMs).sum()));
            xml.writeStartElement("properties");
            property(xml, "verdict", Reports.lower(result.verdict()));
            property(xml, "engine", Reports.lower(result.shadow().engine()) + " " + result.shadow().version());
            property(xml, "shadow", Reports.lower(result.shadow().kind()));
            if (result.history() != null) {
                long known = result.findings().stream().filter(f -> f.history() == Novelty.KNOWN).count();
                property(xml, "history.new", Long.toString(result.findings().size() - known));
                property(xml, "history.known", Long.toString(known));
                property(xml, "history.resolved", Integer.toString(result.resolvedFindings().size()));
            }
            xml.writeEndElement();
            for (Case c : cases) {
                testcase(xml, result, c);
            }
            if (result.history() != null) {
                // The suite's own output: the history's line, and the findings no case has any more.
                xml.writeCharacters("\n  ");
                xml.writeStartElement("system-out");
                text(xml, Reports.historyLine(result) + "\n" + (result.history().summary().isEmpty() ? ""
                        : "Trends: " + result.history().summary() + "\n") + (result.resolvedFindings().isEmpty() ? ""
                        : "Resolved since the previous run:\n" + lines(result.resolvedFindings())));
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }

    private static List<Case> migrations(RehearsalResult result, Set<Finding> claimed) {
        List<Case> cases = new ArrayList<>();
        for (MigrationResult migration : result.migrations()) {
            cases.add(new Case(SUITE + ".migration", migration.script(), migration.durationMs(), result.findings().stream()
                    .filter(f -> !claimed.contains(f) && migration.version() != null
                            && migration.version().equals(f.migration())).toList()));
        }
        return cases;
    }

    /**
     * One case per backfill. Its findings are the backfill rules' findings about the migration it runs after whose
     * message names it ("Backfill &lt;name&gt; (&lt;source&gt;)"): two backfills may follow the same migration.
     */
    private static List<Case> backfills(RehearsalResult result) {
        List<Case> cases = new ArrayList<>();
        for (BackfillResult backfill : result.backfills()) {
            String named = "Backfill " + backfill.name() + " (" + backfill.source() + ")";
            cases.add(new Case(SUITE + ".backfill", backfill.name(), backfill.durationMs(), result.findings().stream()
                    .filter(f -> BACKFILL_RULES.contains(f.rule()) && Objects.equals(backfill.after(), f.migration())
                            && f.message().startsWith(named)).toList()));
        }
        return cases;
    }

    /** A case per query of {@code queries.sql}, with the findings about it (a plan regression fails it). */
    private static List<Case> queries(RehearsalResult result) {
        List<Case> cases = new ArrayList<>();
        for (QueryResult query : result.queries()) {
            Double ms = query.after() == null ? null : query.after().executionMs();
            cases.add(new Case(SUITE + ".query", query.name(), ms == null ? 0 : Math.round(ms), result.findings().stream()
                    .filter(f -> query.name().equals(f.query())).toList()));
        }
        return cases;
    }

    private static void testcase(XMLStreamWriter xml, RehearsalResult result, Case c) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testcase");
        attribute(xml, "classname", c.classname());
        attribute(xml, "name", c.name());
        attribute(xml, "time", seconds(c.durationMs()));
        List<Finding> failing = failing(result, c);
        if (!failing.isEmpty()) {
            xml.writeStartElement("failure");
            attribute(xml, "message", failing.get(0).message());
            attribute(xml, "type", failing.get(0).rule().id());
            text(xml, lines(failing));
            xml.writeEndElement();
        }
        List<Finding> others = c.findings().stream().filter(f -> !failing.contains(f)).toList();
        if (!others.isEmpty()) {
            xml.writeStartElement("system-out");
            text(xml, lines(others));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static List<Finding> failing(RehearsalResult result, Case c) {
        return c.findings().stream().filter(f -> Reports.failing(result, f)).toList();
    }

    private static String lines(List<Finding> findings) {
        return findings.stream().map(f -> "[" + Reports.lower(f.severity()) + "] "
                + (f.history() == null ? "" : "[" + Reports.lower(f.history()) + "] ") + f.rule().id() + " "
                + Reports.where(f) + ": " + f.message()).collect(Collectors.joining("\n", "", "\n"));
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeEmptyElement("property");
        attribute(xml, "name", name);
        attribute(xml, "value", value);
    }

    private static void attribute(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeAttribute(name, XmlText.clean(value == null ? "" : value));
    }

    private static void text(XMLStreamWriter xml, String text) throws XMLStreamException {
        xml.writeCharacters(XmlText.clean(text));
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }
}
