package dev.schemarehearsal.harness.migrate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbesTest {
    private static final long MS = 1_000_000;

    @Test
    void aStatementsStallIsTheLongestProbeOverlappingIt() {
        List<Probes.Probe> probes = List.of(
                new Probes.Probe(0, 2 * MS, false),           // ended before the statement started
                new Probes.Probe(5 * MS, 700 * MS, false),    // started before it, blocked until after it
                new Probes.Probe(20 * MS, 3 * MS, false),     // ran inside it
                new Probes.Probe(1000 * MS, 900 * MS, false));  // started after it ended

        assertThat(Probes.stallMs(probes, 10 * MS, 30 * MS)).isEqualTo(700);
        assertThat(Probes.stallMs(probes, 710 * MS, 720 * MS)).isZero();
        assertThat(Probes.stallMs(probes, 1500 * MS, 1600 * MS)).isEqualTo(900);
    }
}
