package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.ProbeKind;
import dev.schemarehearsal.harness.api.RehearsalResult.ProbeSample;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeTimelineTest {
    private static final long MS = 1_000_000;
    private static final long ORIGIN = 5_000 * MS;

    @Test
    void keepsTheSlowestProbeOfEachKindPerSlotSoAStallSurvives() {
        List<Probes.Probe> probes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // 10 s of probes every 10 ms, reads and writes alternating, 2 ms each; one write stalls 900 ms at 4.2 s.
            boolean write = i % 2 == 1;
            long start = ORIGIN + i * 10 * MS / 3;
            probes.add(new Probes.Probe(start, (i == 1261 ? 900 : 2) * MS, write));
        }
        List<StatementSpan> spans = List.of(new StatementSpan("4", "V4__x.sql", 1, 4100, 5200));

        Timeline timeline = ProbeTimeline.of(probes, ORIGIN, spans);

        assertThat(timeline.probesRun()).isEqualTo(3000);
        assertThat(timeline.probes()).hasSizeLessThanOrEqualTo(2 * ProbeTimeline.SLOTS).hasSizeGreaterThan(ProbeTimeline.SLOTS);
        assertThat(timeline.probes()).filteredOn(p -> p.latencyMs() == 900)
                .containsExactly(new ProbeSample(4203, 900, ProbeKind.WRITE));
        assertThat(timeline.probes()).allMatch(p -> p.latencyMs() == 2 || p.latencyMs() == 900);
        assertThat(timeline.probes()).extracting(ProbeSample::offsetMs).isSorted();
        assertThat(timeline.probes().get(0).offsetMs()).isZero();
        assertThat(timeline.probes()).extracting(ProbeSample::kind).contains(ProbeKind.READ, ProbeKind.WRITE);
        assertThat(timeline.statements()).isEqualTo(spans);
    }

    @Test
    void noProbesMakeAnEmptyTimeline() {
        Timeline timeline = ProbeTimeline.of(List.of(), ORIGIN, List.of());
        assertThat(timeline.probes()).isEmpty();
        assertThat(timeline.probesRun()).isZero();
    }
}
