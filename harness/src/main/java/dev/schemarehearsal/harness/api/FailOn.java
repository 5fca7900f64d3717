package dev.schemarehearsal.harness.api;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The build-failure policy ({@code failOn}): a severity fails the build on findings of that severity or worse; a
 * rule id fails it on findings of that rule; either prefixed {@code new:} only on findings that were not in the previous
 * run of the branch (the nightly setting: what everybody knows about already doesn't fail it again); {@code none} never
 * fails it.
 *
 * @param severity    the mildest severity that fails the build, or {@code null} for none
 * @param rules       rules that fail the build whatever their severity
 * @param newSeverity the mildest severity whose new findings fail the build, or {@code null} for none
 * @param newRules    rules whose new findings fail the build whatever their severity
 */
public record FailOn(Severity severity, Set<Rule> rules, Severity newSeverity, Set<Rule> newRules) {

    public static final FailOn DEFAULT = new FailOn(Severity.ERROR, Set.of());
    /** The prefix of a token that counts new findings only, e.g. {@code new:error}. */
    public static final String NEW = "new:";

    public FailOn {
        rules = Set.copyOf(rules);
        newRules = Set.copyOf(newRules);
    }

    /** A policy on every finding, new or known. */
    public FailOn(Severity severity, Set<Rule> rules) {
        this(severity, rules, null, Set.of());
    }

    /**
     * Parses a comma-separated list such as {@code warning,table-rewrite} or {@code new:error,blocking-lock}, or
     * {@code none}.
     */
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
        Severity newSeverity = null;
        Set<Rule> rules = new LinkedHashSet<>();
        Set<Rule> newRules = new LinkedHashSet<>();
        for (String token : tokens) {
            boolean onlyNew = token.startsWith(NEW);
            String name = onlyNew ? token.substring(NEW.length()).trim() : token;
            Rule rule = Rule.byId(name);
            if (rule != null) {
                (onlyNew ? newRules : rules).add(rule);
                continue;
            }
            Severity named = Arrays.stream(Severity.values())
                    .filter(s -> s.name().equalsIgnoreCase(name))
                    .findFirst()
                    .orElseThrow(() -> new ConfigurationException("failOn", "unknown value '" + token + "' in '" + value + "'",
                            "use 'none', or a comma-separated list of severities (error, warning, info) and rule ids ("
                                    + Arrays.stream(Rule.values()).map(Rule::id).collect(Collectors.joining(", "))
                                    + "), each of them optionally prefixed new: to fail only on findings the previous "
                                    + "run did not have, e.g. new:error"));
            if (onlyNew) {
                newSeverity = milder(newSeverity, named);
            } else {
                severity = milder(severity, named);
            }
        }
        return new FailOn(severity, rules, newSeverity, newRules);
    }

    private static Severity milder(Severity current, Severity named) {
        return current == null || named.ordinal() > current.ordinal() ? named : current;
    }

    /** True when this finding fails the build; a finding without a history mark counts as new. */
    public boolean matches(Finding finding) {
        if ((severity != null && finding.severity().atLeast(severity)) || rules.contains(finding.rule())) {
            return true;
        }
        return finding.history() != Novelty.KNOWN
                && ((newSeverity != null && finding.severity().atLeast(newSeverity)) || newRules.contains(finding.rule()));
    }

    /** True when nothing ever fails the build. */
    public boolean never() {
        return severity == null && rules.isEmpty() && newSeverity == null && newRules.isEmpty();
    }

    /** True when part of the policy counts new findings only, and so needs the previous run to compare with. */
    public boolean byNovelty() {
        return newSeverity != null || !newRules.isEmpty();
    }
}
