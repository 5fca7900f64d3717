package dev.schemarehearsal.harness.data;

import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalEvent.Progress;
import dev.schemarehearsal.harness.api.RehearsalListener;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Counts the bytes and lines a load reads from its file and reports progress now and then. Percent and ETA come from
 * bytes read against the file's size, so they hold whatever the engine does with the rows; rows are counted as lines
 * after the header, which a quoted newline overstates by one.
 */
final class ProgressStream extends FilterInputStream {
    static final long EVERY_NANOS = 5_000_000_000L;

    private final long size;
    private final String task;
    private final RehearsalListener listener;
    private final LongSupplier clock;
    private final long every;
    private final long start;
    private long last;
    private long bytes;
    private long lines;

    ProgressStream(InputStream in, long size, String task, RehearsalListener listener) {
        this(in, size, task, listener, System::nanoTime, EVERY_NANOS);
    }

    ProgressStream(InputStream in, long size, String task, RehearsalListener listener, LongSupplier clock, long every) {
        super(in);
        this.size = size;
        this.task = task;
        this.listener = listener;
        this.clock = clock;
        this.every = every;
        this.start = clock.getAsLong();
        this.last = start;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(b == '\n' ? 1 : 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        int newlines = 0;
        for (int i = offset; i < offset + n; i++) {
            if (buffer[i] == '\n') {
                newlines++;
            }
        }
        if (n > 0) {
            counted(newlines, n);
        }
        return n;
    }

    private void counted(int newlines, int n) {
        lines += newlines;
        bytes += n;
        long now = clock.getAsLong();
        if (now - last < every) {
            return;
        }
        last = now;
        double seconds = (now - start) / 1e9;
        long rows = Math.max(0, lines - 1);
        double bytesPerSecond = bytes / seconds;
        listener.on(RehearsalEvent.progress(new Progress(task, rows, size == 0 ? 100 : 100.0 * bytes / size,
                rows / seconds, Duration.ofMillis((long) (1000 * Math.max(0, size - bytes) / bytesPerSecond)))));
    }
}
