package dev.schemarehearsal.harness.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailOnTest {
    private static final Finding ERROR = new Finding(Rule.MIGRATION_FAILED, Severity.ERROR, "2", null, null, null, "m");
    private static final Finding WARNING = new Finding(Rule.INDEX_NOT_CONCURRENT, Severity.WARNING, "5", 1, "orders", null, "m");
    private static final Finding INFO = new Finding(Rule.PLAN_CHANGED, Severity.INFO, null, null, null, "q", "m");

    @Test
    void aSeverityFailsOnThatSeverityAndWorse() {
        FailOn warning = FailOn.parse("warning");
        assertThat(warning.matches(ERROR)).isTrue();
        assertThat(warning.matches(WARNING)).isTrue();
        assertThat(warning.matches(INFO)).isFalse();

        FailOn error = FailOn.parse("error");
        assertThat(error.matches(ERROR)).isTrue();
        assertThat(error.matches(WARNING)).isFalse();
    }

    @Test
    void ruleIdsFailOnThatRuleWhateverItsSeverity() {
        FailOn rule = FailOn.parse(" plan-changed , error ");
        assertThat(rule.matches(INFO)).isTrue();
        assertThat(rule.matches(ERROR)).isTrue();
        assertThat(rule.matches(WARNING)).isFalse();
    }

    @Test
    void newFailsOnlyOnFindingsThePreviousRunDidNotHave() {
        FailOn onlyNew = FailOn.parse("new:error");
        assertThat(onlyNew.byNovelty()).isTrue();
        assertThat(onlyNew.matches(ERROR.withHistory(Novelty.NEW))).isTrue();
        assertThat(onlyNew.matches(ERROR.withHistory(Novelty.KNOWN))).isFalse();
        assertThat(onlyNew.matches(WARNING.withHistory(Novelty.NEW))).isFalse();
        // Without a history there is no previous run: every finding is new.
        assertThat(onlyNew.matches(ERROR)).isTrue();

        FailOn error = FailOn.parse("error");
        assertThat(error.byNovelty()).isFalse();
        assertThat(error.matches(ERROR.withHistory(Novelty.KNOWN))).isTrue();
    }

    @Test
    void newAndAllMixPerToken() {
        FailOn mixed = FailOn.parse("new:warning, plan-changed, new:table-rewrite");
        assertThat(mixed).isEqualTo(new FailOn(null, java.util.Set.of(Rule.PLAN_CHANGED), Severity.WARNING,
                java.util.Set.of(Rule.TABLE_REWRITE)));
        assertThat(mixed.matches(INFO.withHistory(Novelty.KNOWN))).isTrue();
        assertThat(mixed.matches(WARNING.withHistory(Novelty.KNOWN))).isFalse();
        assertThat(mixed.matches(WARNING.withHistory(Novelty.NEW))).isTrue();
        assertThat(mixed.never()).isFalse();
    }

    @Test
    void newNeedsASeverityOrRule() {
        assertThatThrownBy(() -> FailOn.parse("new:errors"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("unknown value 'new:errors' in 'new:errors'");
                    assertThat(e.fix()).contains("new:error");
                });
    }

    @Test
    void noneNeverFails() {
        FailOn none = FailOn.parse("none");
        assertThat(none.never()).isTrue();
        assertThat(none.matches(ERROR)).isFalse();
    }

    @Test
    void blankIsTheDefault() {
        assertThat(FailOn.parse(" ")).isEqualTo(FailOn.DEFAULT);
        assertThat(FailOn.parse(null)).isEqualTo(FailOn.DEFAULT);
    }

    @Test
    void anUnknownValueNamesTheParameterAndTheChoices() {
        assertThatThrownBy(() -> FailOn.parse("error,table-rewrites"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("failOn");
                    assertThat(e.getMessage()).isEqualTo("unknown value 'table-rewrites' in 'error,table-rewrites'");
                    assertThat(e.fix()).contains("table-rewrite").contains("none");
                });
    }

    @Test
    void ruleIdsAreTheSpecsSpelling() {
        assertThat(Rule.LONG_LOCK_AT_SCALE.id()).isEqualTo("long-lock-at-scale");
        assertThat(Rule.byId("missing-rationale")).isEqualTo(Rule.MISSING_RATIONALE);
        assertThat(Rule.byId("nope")).isNull();
    }
}
