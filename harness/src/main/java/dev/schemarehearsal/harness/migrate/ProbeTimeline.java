package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.ProbeKind;
import dev.schemarehearsal.harness.api.RehearsalResult.ProbeSample;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shrinks the probes to a chart's worth: a few hundred a second would bloat the reports. The run is cut into
 * {@link #SLOTS} equal slots and each keeps its slowest probe of each kind, so a stall never averages away.
 */
final class ProbeTimeline {
    static final int SLOTS = 400;

    private ProbeTimeline() {
    }

    /** @param originNanos the {@link System#nanoTime()} the offsets count from */
    static Timeline of(List<Probes.Probe> probes, long originNanos, List<StatementSpan> statements) {
        long endNanos = probes.stream().mapToLong(p -> p.startNanos()).max().orElse(originNanos);
        long slotNanos = Math.max(1, (endNanos - originNanos) / SLOTS + 1);
        Map<Long, Probes.Probe> slowest = new TreeMap<>();
        for (Probes.Probe probe : probes) {
            long slot = (probe.startNanos() - originNanos) / slotNanos * 2 + (probe.write() ? 1 : 0);
            slowest.merge(slot, probe, (a, b) -> a.latencyNanos() >= b.latencyNanos() ? a : b);
        }
        List<ProbeSample> samples = slowest.values().stream()
                .sorted(Comparator.comparingLong(Probes.Probe::startNanos))
                .map(p -> new ProbeSample(ms(p.startNanos() - originNanos), ms(p.latencyNanos()),
                        p.write() ? ProbeKind.WRITE : ProbeKind.READ))
                .toList();
        return new Timeline(samples, statements, probes.size());
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
