package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.RehearsalEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressStreamTest {

    @Test
    void reportsRowsPercentRateAndEtaFromBytesAtMostEveryInterval() throws Exception {
        byte[] csv = "h\n1\n2\n3\n4\n".getBytes(StandardCharsets.US_ASCII);
        long[] now = {0};
        List<RehearsalEvent> events = new ArrayList<>();
        try (InputStream in = new ProgressStream(new ByteArrayInputStream(csv), csv.length, "Loading t", events::add,
                () -> now[0], 1_000_000_000L)) {
            byte[] buffer = new byte[4];
            now[0] = 500_000_000L;
            in.read(buffer);          // "h\n1\n" in 0.5 s: too soon to report
            now[0] = 2_000_000_000L;
            in.read(buffer);          // "2\n3\n": 8 of 10 bytes, 4 lines = 3 rows after the header, in 2 s
            now[0] = 2_500_000_000L;
            in.read(buffer);          // too soon again
        }
        assertThat(events).hasSize(1);
        RehearsalEvent.Progress progress = events.get(0).progress();
        assertThat(progress.task()).isEqualTo("Loading t");
        assertThat(progress.rows()).isEqualTo(3);
        assertThat(progress.percent()).isEqualTo(80.0);
        assertThat(progress.rowsPerSecond()).isEqualTo(1.5);
        assertThat(progress.eta()).isEqualTo(Duration.ofMillis(500));
        assertThat(events.get(0).message()).isEqualTo("Loading t: 3 rows, 80%, 2 rows/s, about 0s left");
    }
}
