package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.RehearsalInterruptedException;
import dev.schemarehearsal.harness.api.RehearsalListener;

/**
 * One rehearsal as an interruption sees it. When the build is interrupted (Ctrl-C, SIGTERM), the JVM's shutdown
 * hook says in one line which stage the rehearsal was at, then removes its shadows; whatever fails in the rehearsal
 * meanwhile failed because of that, and {@link #of} says so instead of blaming the shadow. Close it when the
 * rehearsal ends.
 */
public final class Interruption implements AutoCloseable {
    private final RehearsalListener listener;
    private volatile String stage;
    private boolean announced;

    private Interruption(RehearsalListener listener, String stage) {
        this.listener = listener;
        this.stage = stage;
    }

    /** Watches a rehearsal from this stage on; the listener is told when the build is interrupted. */
    public static Interruption watch(RehearsalListener listener, String stage) {
        Interruption run = new Interruption(listener, stage);
        Teardown.watch(run);
        return run;
    }

    /** The stage the rehearsal enters, e.g. {@code migrate}. */
    public void stage(String stage) {
        this.stage = stage;
    }

    /** Whether the build is being interrupted (its shutdown hooks run) or this thread was interrupted. */
    public static boolean interrupted() {
        return shuttingDown() || Thread.currentThread().isInterrupted();
    }

    /** Whether the JVM is shutting down (Ctrl-C, SIGTERM): it ends once its shutdown hooks have run. */
    public static boolean shuttingDown() {
        return Teardown.started();
    }

    /**
     * What to throw for a failure: a {@link RehearsalInterruptedException} naming the stage when the rehearsal was
     * interrupted, else the failure itself.
     */
    public RuntimeException of(RuntimeException failure) {
        if (failure instanceof RehearsalInterruptedException || !interrupted()) {
            return failure;
        }
        announce();
        return new RehearsalInterruptedException(stage, failure);
    }

    /** Says once that the rehearsal was interrupted, and at which stage. */
    synchronized void announce() {
        if (!announced) {
            announced = true;
            listener.warn("Interrupted during the " + stage + " stage: the rehearsal stops and its shadow is removed");
        }
    }

    @Override
    public void close() {
        Teardown.forget(this);
    }
}
