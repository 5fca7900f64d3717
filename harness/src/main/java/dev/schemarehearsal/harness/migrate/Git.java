package dev.schemarehearsal.harness.migrate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The {@code git} command line, the one way the tool asks git anything: the baseline at a ref, a script's last
 * commit, the commit and branch a run is recorded under. Each caller decides what a failure means to it.
 */
public final class Git {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What git printed and how it exited. */
    public record Output(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Git() {
    }

    /**
     * Runs {@code git -C folder arguments…} to its end.
     *
     * @throws IOException when git cannot be started (not installed, not on the {@code PATH}) or did not finish in
     *                     60 s
     */
    public static Output run(Path folder, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", folder.toString()));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).start();
        try (InputStream out = git.getInputStream(); InputStream err = git.getErrorStream()) {
            // Both pipes are read at once, so that neither fills while the other is waited on.
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(err));
            String stdout = read(out);
            if (!git.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new IOException("git " + String.join(" ", arguments) + " in " + folder + " did not finish in "
                        + TIMEOUT.toSeconds() + " s");
            }
            return new Output(git.exitValue(), stdout, stderr.get().strip());
        } catch (InterruptedException e) {
            git.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
