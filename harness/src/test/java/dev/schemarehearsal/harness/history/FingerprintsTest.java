package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintsTest {
    private static final Finding LOCK = Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 1, "orders",
            "V12__orders_index.sql statement 1 (line 3) blocks writes on orders for 1,204 ms");

    private static String fingerprint(Finding finding) {
        return Fingerprints.assign(List.of(finding), List.of(Runs.v12(1_204, null))).get(0).fingerprint();
    }

    @Test
    void theSameProblemFoundAgainKeepsItsFingerprintWhateverItsFiguresAndLine() {
        Finding again = Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 1, "orders",
                "V12__orders_index.sql statement 1 (line 9) blocks writes on orders for 2,950 ms");
        assertThat(fingerprint(LOCK)).matches("[0-9a-f]{16}").isEqualTo(fingerprint(again));
        // A severity that moves (a plan regression becomes uncertain) is the same problem too.
        Finding warning = new Finding(Rule.BLOCKING_LOCK, Severity.WARNING, "12", 1, "orders", null, "other text");
        assertThat(fingerprint(warning)).isEqualTo(fingerprint(LOCK));
    }

    @Test
    void anotherRuleStatementTableOrQueryIsAnotherFinding() {
        assertThat(List.of(
                fingerprint(LOCK),
                fingerprint(Finding.ofMigration(Rule.LONG_LOCK_AT_SCALE, "12", 1, "orders", "m")),
                fingerprint(Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 2, "orders", "m")),
                fingerprint(Finding.ofMigration(Rule.BLOCKING_LOCK, "12", 1, "customers", "m")),
                fingerprint(Finding.ofMigration(Rule.BLOCKING_LOCK, "13", 1, "orders", "m")),
                fingerprint(new Finding(Rule.PLAN_REGRESSION, Severity.ERROR, "12", null, null, "a", "m")),
                fingerprint(new Finding(Rule.PLAN_REGRESSION, Severity.ERROR, "12", null, null, "b", "m"))))
                .doesNotHaveDuplicates();
    }

    @Test
    void theScriptNotTheVersionNamesTheMigration() {
        String asPending = fingerprint(LOCK);
        String script = Fingerprints.of(LOCK, version -> "V12__orders_index.sql");
        String renamed = Fingerprints.of(LOCK, version -> "V12__orders_status_index.sql");
        assertThat(asPending).isEqualTo(script).isNotEqualTo(renamed);
    }

    @Test
    void findingsAlikeInOneRunAreToldApartByTheirOrder() {
        Finding exclusive = Finding.ofMigration(Rule.LONG_LOCK_AT_SCALE, "12", 1, "orders", "AccessExclusiveLock");
        Finding share = Finding.ofMigration(Rule.LONG_LOCK_AT_SCALE, "12", 1, "orders", "ShareLock");
        List<Finding> tonight = Fingerprints.assign(List.of(exclusive, share), List.of(Runs.v12(1_204, null)));
        List<Finding> tomorrow = Fingerprints.assign(List.of(exclusive, share), List.of(Runs.v12(2_950, null)));

        assertThat(tonight).extracting(Finding::fingerprint).doesNotHaveDuplicates()
                .containsExactlyElementsOf(tomorrow.stream().map(Finding::fingerprint).toList());
        assertThat(tonight.get(0).fingerprint()).isEqualTo(fingerprint(exclusive));
    }
}
