package dev.schemarehearsal.harness.api;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The build-failure policy ({@code failOn}): a severity fails the build on findings of that severity or worse; a
 * rule id fails it on findings of that rule; {@code none} never fails it.
 *
 * @param severity the mildest severity that fails the build, or {@code null} for none
 * @param rules    rules that fail the build whatever their severity
 */
public record FailOn(Severity severity, Set<Rule> rules) {

    public static final FailOn DEFAULT = new FailOn(Severity.ERROR, Set.of());

    public FailOn {
        rules = Set.copyOf(rules);
    }

    /** Parses a comma-separated list such as {@code warning,table-rewrite}, or {@code none}. */
    public static FailOn parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        List<String> tokens = Arrays.stream(value.split(","))
                .map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .toList();
        if (tokens.equals(List.of("none"))) {
            return new FailOn(null, Set.of());
        }
        Severity severity = null;
        Set<Rule> rules = new LinkedHashSet<>();
        for (String token : tokens) {
            Rule rule = Rule.byId(token);
            if (rule != null) {
                rules.add(rule);
                continue;
            }
            Severity named = Arrays.stream(Severity.values())
                    .filter(s -> s.name().equalsIgnoreCase(token))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException("failOn", "unknown value '" + token + "' in '" + value + "'",
                            "use 'none', or a comma-separated list of severities (error, warning, info) and rule ids ("
                                    + Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.joining(", ")) + ")"));
            if (severity == null || named.ordinal() > severity.ordinal()) {
                severity = named;
            }
        }
        return new FailOn(severity, rules);
    }

    /** True when this finding fails the build. */
    public boolean matches(Finding finding) {
        return (severity != null && finding.severity().atLeast(severity)) || rules.contains(finding.rule());
    }

    /** True when nothing ever fails the build. */
    public boolean never() {
        return severity == null && rules.isEmpty();
    }
}
