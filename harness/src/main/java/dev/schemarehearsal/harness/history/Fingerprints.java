package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A finding's fingerprint: what stays the same when the same problem is found again. It is made of the rule, the
 * migration's script, the statement's index within it, the table and the query; never the message, whose figures
 * (durations, rows, costs) change from run to run, nor the line, which moves when comments are added above.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    /**
     * Each finding with its fingerprint; a finding's script is the one of the pending migration it names. Two findings
     * of one run alike in all of that (one rule on two locks of a statement) are told apart by their order: the second
     * one's fingerprint is its own, and the same the next night as long as the two are found in the same order.
     */
    public static List<Finding> assign(List<Finding> findings, List<MigrationResult> migrations) {
        Map<String, String> scripts = migrations.stream().filter(m -> m.version() != null)
                .collect(Collectors.toMap(MigrationResult::version, MigrationResult::script, (a, b) -> a));
        Map<String, Integer> seen = new HashMap<>();
        return findings.stream().map(f -> {
            String fingerprint = of(f, scripts::get);
            int occurrence = seen.merge(fingerprint, 1, Integer::sum);
            return f.withFingerprint(occurrence == 1 ? fingerprint : Hashes.hash(fingerprint + "#" + occurrence));
        }).toList();
    }

    static String of(Finding finding, Function<String, String> scriptOfVersion) {
        String script = finding.migration() == null ? "" : Objects.requireNonNullElse(
                scriptOfVersion.apply(finding.migration()), "V" + finding.migration());
        return Hashes.hash(String.join("\u0000", finding.rule().id(), script,
                finding.statement() == null ? "" : finding.statement().toString(),
                Objects.requireNonNullElse(finding.table(), ""), Objects.requireNonNullElse(finding.query(), "")));
    }
}
