package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalException;
import dev.schemarehearsal.harness.api.RehearsalListener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes every shadow still open when the JVM exits, including on Ctrl-C and SIGTERM, so that no container,
 * embedded server or scratch database outlives the build. Shadows register before they start and unregister once
 * closed. The newest is removed first: a scratch copy goes before the server it lives on. Each removal stands on its
 * own and says in one line what it removed or what is left; one that fails does not keep the others from running.
 */
final class Teardown {
    private record Open(ShadowDatabase shadow, RehearsalListener listener) { }

    /** Newest first. */
    private static final Deque<Open> OPEN = new ArrayDeque<>();
    private static final Set<Interruption> RUNS = new LinkedHashSet<>();
    private static boolean hookInstalled;
    private static volatile boolean started;

    private Teardown() {
    }

    /**
     * @param listener told in one line when the shadow is removed because the build is interrupted
     * @throws InfrastructureException when the build is being interrupted: a shadow registered now might never be removed
     */
    static synchronized void register(ShadowDatabase shadow, RehearsalListener listener) {
        refuseIfStarted();
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Teardown::closeAll, "schema-rehearsal-teardown"));
            hookInstalled = true;
        }
        OPEN.push(new Open(shadow, listener));
    }

    /** @throws InfrastructureException when the build is being interrupted: nothing new is started then */
    static void refuseIfStarted() {
        if (started) {
            throw new InfrastructureException("the build is being interrupted: no shadow is started any more", null, null);
        }
    }

    static synchronized void unregister(ShadowDatabase shadow) {
        OPEN.removeIf(open -> open.shadow == shadow);
    }

    static synchronized void watch(Interruption run) {
        RUNS.add(run);
    }

    static synchronized void forget(Interruption run) {
        RUNS.remove(run);
    }

    /** Whether the JVM is shutting down: its shutdown hooks run, on Ctrl-C, SIGTERM or {@code System.exit}. */
    static boolean started() {
        return started;
    }

    private static void closeAll() {
        List<Interruption> runs;
        List<Open> open;
        synchronized (Teardown.class) {
            started = true;
            runs = new ArrayList<>(RUNS);
            open = new ArrayList<>(OPEN);
        }
        for (Interruption run : runs) {
            try {
                run.announce();
            } catch (RuntimeException e) {
                // The log failed while the JVM shuts down: the shadows are removed all the same.
            }
        }
        for (Open shadow : open) {
            close(shadow);
        }
    }

    private static void close(Open open) {
        try {
            String what = open.shadow.describe();
            try {
                open.shadow.close();
            } catch (RuntimeException e) {
                // One line: a stack trace tells whoever has to drop what is left nothing more.
                open.listener.warn("Could not remove " + what + ": "
                        + (e instanceof RehearsalException known ? known.describe() : e.getMessage()));
                return;
            }
            open.listener.info("Shadow removed: " + what);
        } catch (RuntimeException e) {
            // The log itself failed while the JVM shuts down: the other shadows are removed all the same.
        }
    }
}
