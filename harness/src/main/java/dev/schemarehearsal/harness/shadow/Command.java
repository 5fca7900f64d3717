package dev.schemarehearsal.harness.shadow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a user's command without a shell: its words as given, in a folder, with values passed in its environment only,
 * its standard input closed, its output read as it comes, stopped (with every process it started) when it runs too long
 * or when told to.
 */
final class Command {
    /** How long a stopped command has to end on SIGTERM before it and its children are killed. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    /** How long to wait for its output to end once it ended: a child it left running may hold it open. */
    private static final Duration DRAIN = Duration.ofSeconds(2);
    /** The most output kept from each stream, its end: a command's output is for messages and the destroy command. */
    private static final int KEPT = 64 * 1024;

    /**
     * What a command did.
     *
     * @param exitCode its exit status; meaningless when it timed out
     * @param timedOut it ran longer than its time and was stopped
     */
    record Ran(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {
        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** The last non-blank line it printed on its standard output, trimmed, or empty. */
        String lastLine() {
            List<String> lines = stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        /** How it ended, for a message: {@code exit status 2}, or that it ran too long. */
        String ending(long timeoutSeconds) {
            return timedOut ? "ran longer than " + timeoutSeconds + " s and was stopped" : "ended with exit status " + exitCode;
        }

        /** The last lines of its error output, for a message; else that it wrote none. */
        String stderrTail() {
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "it wrote nothing to its error output"
                    : "its error output ends: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        }
    }

    private Command() {
    }

    /**
     * Runs the command to its end or its time.
     *
     * @param started told the process once it started, so that another thread can {@link #stop} it
     * @throws IOException when the program cannot be started (no such file, not executable)
     */
    static Ran run(List<String> command, Path directory, Map<String, String> environment, Duration timeout,
                   Consumer<Process> started) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.accept(process);
        process.getOutputStream().close();
        Reader stdout = new Reader(process.getInputStream(), "stdout");
        Reader stderr = new Reader(process.getErrorStream(), "stderr");
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                stop(process);
            }
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
        }
        return new Ran(command, process.isAlive() ? -1 : process.exitValue(), timedOut, stdout.text(), stderr.text());
    }

    /** Stops the process and every process it started: SIGTERM, then after a grace period SIGKILL. */
    static void stop(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Reads a stream to its end on a thread of its own, keeping its last bytes. */
    private static final class Reader {
        private final Thread thread;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean cut;

        Reader(InputStream in, String name) {
            thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        append(buffer, n);
                    }
                } catch (IOException e) {
                    // The process ended or was stopped: what was read is what it printed.
                }
            }, "schema-rehearsal-command-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void append(byte[] buffer, int n) {
            kept.write(buffer, 0, n);
            if (kept.size() > 2 * KEPT) {
                byte[] all = kept.toByteArray();
                kept.reset();
                kept.write(all, all.length - KEPT, KEPT);
                cut = true;
            }
        }

        String text() {
            try {
                thread.join(DRAIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes;
            synchronized (this) {
                bytes = kept.toByteArray();
            }
            if (cut || bytes.length > KEPT) {
                bytes = Arrays.copyOfRange(bytes, Math.max(0, bytes.length - KEPT), bytes.length);
            }
            return new String(bytes, Charset.defaultCharset());
        }
    }
}
