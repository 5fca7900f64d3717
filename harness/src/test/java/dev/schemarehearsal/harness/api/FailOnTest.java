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
