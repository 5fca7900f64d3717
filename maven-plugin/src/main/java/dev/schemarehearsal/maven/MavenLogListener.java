package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.shadow.Interruption;
import org.apache.maven.plugin.logging.Log;

/** Forwards the harness's events to Maven's log at their level. */
final class MavenLogListener implements RehearsalListener {
    /** How long a line logged while the JVM shuts down waits for Maven's console to be put back, at most. */
    private static final long CONSOLE_RESTORE_WAIT_NANOS = 1_000_000_000L;

    private static volatile boolean consoleSettled;

    private final Log log;

    MavenLogListener(Log log) {
        this.log = log;
    }

    @Override
    public void on(RehearsalEvent event) {
        if (Interruption.shuttingDown() && !consoleSettled) {
            awaitConsoleRestored();
            consoleSettled = true;
        }
        switch (event.level()) {
            case DEBUG -> log.debug(event.message());
            case INFO -> log.info(event.message());
            case WARN -> log.warn(event.message());
            case ERROR -> log.error(event.message());
        }
    }

    /**
     * Maven's own shutdown hook puts the console back (Jansi's {@code AnsiConsole.systemUninstall}) while the
     * rehearsal's hook says it was interrupted and removes the shadow; the two run at once, and a line written while
     * the console is being put back loses its bytes. Lines logged during shutdown wait until {@code System.out} is
     * the plain stream again, or for a second at most, once.
     */
    private static void awaitConsoleRestored() {
        long deadline = System.nanoTime() + CONSOLE_RESTORE_WAIT_NANOS;
        while (System.out.getClass().getName().startsWith("org.fusesource.jansi.") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
