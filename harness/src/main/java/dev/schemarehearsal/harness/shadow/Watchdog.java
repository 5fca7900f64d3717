package dev.schemarehearsal.harness.shadow;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stops an embedded server whose build died without stopping it. The shutdown hook stops the server on Ctrl-C and
 * SIGTERM, but nothing in a JVM runs on SIGKILL (a CI runner escalating after a timeout) or when the OOM killer
 * strikes, and the server, in a session of its own ({@code pg_ctl} starts it so), would run on with its data folder.
 *
 * <p>The watchdog is a small shell process whose standard input is a pipe from the JVM: the JVM writes {@code done}
 * once it has removed the server itself; when the JVM dies instead, the kernel closes the pipe, the watchdog reads
 * the end of its input, stops the server (fast shutdown, {@code SIGINT} to the process named in
 * {@code postmaster.pid}, if it is still that folder's postmaster) and deletes the folder. It ignores the signals
 * that end a build and, where {@code setsid} exists (Linux), runs in a session of its own, so a signal to the
 * build's whole process group does not take it along. On macOS it stays in the build's process group; on Windows
 * there is none (no {@code sh}). Either way {@link EmbeddedFolder#removeLeftovers} stops at the next start what is
 * left.
 */
final class Watchdog {
    /** {@code $1}: the server's folder, its data in {@code $1/data}. */
    private static final String SCRIPT = """
            trap '' HUP INT TERM
            read -r line
            [ "$line" = done ] && exit 0
            pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null)
            if [ -n "$pid" ]; then
              args=$(tr '\\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || ps -p "$pid" -o args= 2>/dev/null)
              case "$args" in
                *"$1/data"*)
                  kill -INT "$pid"
                  i=0
                  while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
                  [ "$i" -ge 300 ] && kill -QUIT "$pid"
                  ;;
              esac
            fi
            rm -rf -- "$1"
            """;
    private static final Path SH = Path.of("/bin/sh");

    private final Process process;

    private Watchdog(Process process) {
        this.process = process;
    }

    /** Whether watchdogs run here: where there is a POSIX shell. */
    static boolean available() {
        return Files.isExecutable(SH);
    }

    /** Starts watching the server that is about to run from the folder. */
    static Watchdog watch(Path folder) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(folder, true))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        return new Watchdog(builder.start());
    }

    /** Stops the server of a folder whose build is gone, and deletes the folder; returns once done. */
    static void stopAndRemove(Path folder) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(folder, false)).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroy();
        }
    }

    private static List<String> command(Path folder, boolean detached) {
        List<String> command = new ArrayList<>();
        if (detached) {
            Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst()
                    .ifPresent(setsid -> command.add(setsid.toString()));
        }
        command.addAll(List.of(SH.toString(), "-c", SCRIPT, "schema-rehearsal-watchdog", folder.toAbsolutePath().toString()));
        return command;
    }

    /** The build removed the server itself: the watchdog ends without doing anything. */
    void dismiss() {
        try (OutputStream in = process.getOutputStream()) {
            in.write("done\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // The watchdog is gone already: there is nothing for it to do anyway.
        }
    }
}
