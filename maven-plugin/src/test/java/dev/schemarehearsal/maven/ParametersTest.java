package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.FailOn;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.sample.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's parameter tables, the goals' parameters as {@code schema:help} shows them (the plugin descriptor it is
 * generated from) and the harness's defaults agree: every parameter, its property and its default.
 */
class ParametersTest {
    private static final Path README = Path.of("../README.md");
    private static final Path HELP = Path.of("target/classes/META-INF/maven/dev.schemarehearsal/schema-maven-plugin/plugin-help.xml");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    /** Defaults the README describes in words rather than as a value. */
    private static final Set<String> DESCRIBED = Set.of("image");

    /** A parameter as the plugin descriptor has it. */
    private record Parameter(String property, String defaultValue) { }

    /** A row of a README parameter table; a row may name several parameters, e.g. {@code serverUser}, {@code serverPassword}. */
    private record Row(List<String> names, List<String> properties, String defaultText) { }

    @TempDir
    Path project;

    @Test
    void rehearseParametersAgree() throws Exception {
        RehearsalConfig defaults = Rehearsal.configure().projectDirectory(project).baseline("1").load().config();
        Map<String, Function<String, Boolean>> harness = new LinkedHashMap<>();
        harness.put("shadow", text -> ShadowKind.parse(text) == defaults.shadow().kind());
        harness.put("engine", text -> Engine.parse(text) == defaults.shadow().engine());
        harness.put("engineVersion", text -> codes(text).equals(Arrays.stream(Engine.values()).map(Engine::defaultVersion).toList())
                && defaults.shadow().engineVersion().equals(defaults.shadow().engine().defaultVersion()));
        harness.put("locations", text -> codes(text).contains(RehearsalConfig.Migrations.LOCATION)
                && defaults.migrations().locations().equals(List.of(absolute(RehearsalConfig.Migrations.LOCATION))));
        harness.put("dataDirectory", text -> resolves(text, defaults.data().directory()));
        harness.put("encoding", text -> Charset.forName(text).equals(defaults.data().encoding()));
        harness.put("statistics", text -> text.equals(RehearsalConfig.Data.STATISTICS.toString()));
        harness.put("maxPaddingMb", text -> Long.parseLong(text) == defaults.plans().maxPaddingMb());
        harness.put("reportDirectory", text -> resolves(text, defaults.outputs().reportDirectory()));
        harness.put("failOn", text -> FailOn.parse(text).equals(defaults.limits().failOn()));
        harness.put("maxLockMs", text -> Long.parseLong(text) == defaults.limits().maxLockMs());
        harness.put("maxStallMs", text -> Long.parseLong(text) == defaults.limits().maxStallMs());
        harness.put("backfills", text -> resolves(text, defaults.backfills().folder()));
        harness.put("adviseBatch", text -> Boolean.parseBoolean(text) == defaults.backfills().adviseBatch());
        harness.put("requireRationale", text -> Boolean.parseBoolean(text) == defaults.migrations().requireRationale());
        harness.put("queries", text -> text.equals(RehearsalConfig.Plans.QUERIES.toString()));
        harness.put("productionPlans", text -> text.equals(RehearsalConfig.Plans.PRODUCTION_PLANS.toString()));
        harness.put("analyze", text -> Boolean.parseBoolean(text) == defaults.plans().analyze());
        harness.put("maxCostRatio", text -> Double.parseDouble(text) == defaults.plans().thresholds().maxCostRatio());
        harness.put("largeTableRows", text -> Long.parseLong(text) == defaults.plans().thresholds().largeTableRows());
        harness.put("maxReadGrowth", text -> Double.parseDouble(text) == defaults.plans().thresholds().maxReadGrowth());
        harness.put("historyKeep", text -> Integer.parseInt(text) == RehearsalConfig.History.KEEP);
        harness.put("cloneTimeoutSeconds", text -> Long.parseLong(text) == defaults.shadow().cloning().timeoutSeconds());
        harness.put("backfillSampleSeconds", text -> Long.parseLong(text) == RehearsalConfig.Backfills.SAMPLE_SECONDS_ON_CLONE
                && defaults.backfills().sampleSeconds() == 0);

        assertAgree("rehearse", table("## Parameters of `schema:rehearse`"), harness);
    }

    @Test
    void sampleParametersAgree() throws Exception {
        Map<String, Function<String, Boolean>> harness = new LinkedHashMap<>();
        harness.put("sampleConfig", text -> text.equals(Sample.CONFIG.toString()));
        harness.put("seed", text -> Long.parseLong(text) == Sample.SEED);
        harness.put("dataDirectory", text -> text.equals(RehearsalConfig.Data.DIRECTORY.toString()));
        harness.put("statistics", text -> text.equals(RehearsalConfig.Data.STATISTICS.toString()));
        harness.put("queries", text -> text.equals(RehearsalConfig.Plans.QUERIES.toString()));
        harness.put("productionPlans", text -> text.equals(RehearsalConfig.Plans.PRODUCTION_PLANS.toString()));
        harness.put("reportDirectory", text -> text.equals(RehearsalConfig.Outputs.REPORT_DIRECTORY.toString()));
        harness.put("statementTimeoutMs", text -> Long.parseLong(text) == Sample.STATEMENT_TIMEOUT_MS);
        harness.put("allowWritableSource", text -> Boolean.parseBoolean(text) == Sample.ALLOW_WRITABLE_SOURCE);
        harness.put("dryRun", text -> Boolean.parseBoolean(text) == Sample.DRY_RUN);

        assertAgree("sample", table("### Parameters of `schema:sample`"), harness);
    }

    /** The README lists lint's parameters in a sentence: "the parameters it shares with `schema:rehearse`: …". */
    @Test
    void lintTakesTheParametersItSharesWithRehearse() throws Exception {
        String readme = Files.readString(README);
        Matcher sentence = Pattern.compile("It takes the parameters it shares with `schema:rehearse`: ([^.;]+) \\(same")
                .matcher(readme.replaceAll("\\s+", " "));
        assertThat(sentence.find()).as("the README's sentence listing lint's parameters").isTrue();
        Map<String, Parameter> lint = goal("lint");
        Map<String, Parameter> rehearse = goal("rehearse");

        assertThat(new TreeSet<>(codes(sentence.group(1)))).isEqualTo(new TreeSet<>(lint.keySet()));
        lint.forEach((name, parameter) -> assertThat(parameter).as(name).isEqualTo(rehearse.get(name)));
    }

    private void assertAgree(String goal, List<Row> rows, Map<String, Function<String, Boolean>> harness) throws Exception {
        Map<String, Parameter> parameters = goal(goal);
        List<String> documented = new ArrayList<>();
        for (Row row : rows) {
            for (int i = 0; i < row.names().size(); i++) {
                String name = row.names().get(i);
                documented.add(name);
                Parameter parameter = parameters.get(name);
                assertThat(parameter).as("schema:%s has the README's parameter %s", goal, name).isNotNull();
                assertThat(parameter.property()).as("%s's property", name).isEqualTo(row.properties().get(i));
                String readme = readmeDefault(row.defaultText());
                if (parameter.defaultValue() != null) {
                    assertThat(readme).as("%s's default in the README and in schema:help", name)
                            .isEqualTo(parameter.defaultValue().replace("${project.build.directory}", "target"));
                } else if (!row.defaultText().equals("none") && !row.defaultText().equals("required")) {
                    assertThat(harness.containsKey(name) || DESCRIBED.contains(name))
                            .as("%s's README default '%s' is the harness's", name, row.defaultText()).isTrue();
                }
                if (harness.containsKey(name)) {
                    String value = parameter.defaultValue() != null ? readme : readmeDefaultForHarness(name, row.defaultText());
                    assertThat(harness.get(name).apply(value))
                            .as("%s's default '%s' is the harness's", name, row.defaultText()).isTrue();
                }
            }
        }
        assertThat(new TreeSet<>(documented)).as("the parameters of schema:%s in the README", goal)
                .isEqualTo(new TreeSet<>(parameters.keySet()));
    }

    /** A default the README writes as one value, e.g. {@code `1000`} or {@code `src/rehearsal/stats.json` if present}. */
    private static String readmeDefault(String text) {
        List<String> codes = codes(text);
        return codes.size() == 1 ? codes.get(0) : text;
    }

    /** The README text the harness's check reads: whole where it lists several values, else the one value. */
    private static String readmeDefaultForHarness(String name, String text) {
        return name.equals("engineVersion") || name.equals("locations") ? text : readmeDefault(text);
    }

    private static List<String> codes(String text) {
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(text);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private boolean resolves(String text, Path resolved) {
        return project.resolve(text).equals(resolved);
    }

    private String absolute(String location) {
        return "filesystem:" + project.resolve(location.substring("filesystem:".length())).normalize();
    }

    private static List<Row> table(String heading) throws Exception {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf(heading);
        assertThat(start).as("the README's heading %s", heading).isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("| `")) {
                String[] cells = line.substring(1).split(" \\| ");
                rows.add(new Row(codes(cells[0]), codes(cells[1]).stream().map(p -> "${" + p + "}").toList(),
                        cells[2].strip()));
            } else if (!rows.isEmpty() && !line.startsWith("|")) {
                break;
            }
        }
        assertThat(rows).as("the table under %s", heading).isNotEmpty();
        return rows;
    }

    /** The goal's user-settable parameters as the descriptor of {@code schema:help} has them, by name. */
    private static Map<String, Parameter> goal(String goal) throws Exception {
        Element plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(HELP.toFile()).getDocumentElement();
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            if (!text(mojo, "goal").equals(goal)) {
                continue;
            }
            Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            NodeList declared = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
            for (int j = 0; j < declared.getLength(); j++) {
                Element parameter = (Element) declared.item(j);
                if (!text(parameter, "editable").equals("true")) {
                    continue;
                }
                String name = text(parameter, "name");
                Node value = configuration.getElementsByTagName(name).item(0);
                Element element = (Element) value;
                parameters.put(name, new Parameter(element.getTextContent(),
                        element.hasAttribute("default-value") ? element.getAttribute("default-value") : null));
            }
            return parameters;
        }
        throw new AssertionError("no goal " + goal + " in " + HELP);
    }

    private static String text(Element element, String child) {
        return element.getElementsByTagName(child).item(0).getTextContent().strip();
    }
}
