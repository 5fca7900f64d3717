package dev.schemarehearsal.harness.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurationsTest {
    @Test
    void eachDurationInTheUnitsThatKeepItShort() {
        assertThat(Durations.human(0)).isEqualTo("0 ms");
        assertThat(Durations.human(850)).isEqualTo("850 ms");
        assertThat(Durations.human(999)).isEqualTo("999 ms");
        assertThat(Durations.human(1000)).isEqualTo("1 s");
        assertThat(Durations.human(1340)).isEqualTo("1.3 s");
        assertThat(Durations.human(9960)).isEqualTo("10 s");
        assertThat(Durations.human(42_400)).isEqualTo("42 s");
        assertThat(Durations.human(59_600)).isEqualTo("1 min");
        assertThat(Durations.human(303_000)).isEqualTo("5 min 3 s");
        assertThat(Durations.human(3_570_000)).isEqualTo("1 h");
        assertThat(Durations.human(5_520_000)).isEqualTo("1 h 32 min");
        assertThat(Durations.human(90_000_000)).isEqualTo("25 h");
        assertThat(Durations.human(1_500)).isEqualTo("1.5 s");
        assertThat(Durations.human(125_000)).isEqualTo("2 min 5 s");
        assertThat(Durations.human(7_980_000)).isEqualTo("2 h 13 min");
    }
}
