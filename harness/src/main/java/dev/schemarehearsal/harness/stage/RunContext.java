package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.Interruption;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.Shadows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rehearsal as it runs: its settings, listener and dialect, what each stage produced so far and the phases timed.
 * A product is produced once and read after: reading one no stage produced yet is a mistake in the stages' order, and
 * fails at once. The shadow is removed once the stages that need it ran ({@link #withShadow}).
 */
public final class RunContext {
    private final RehearsalConfig config;
    private final RehearsalListener listener;
    private final Dialect dialect;
    private final Map<Product<?>, Object> products = new HashMap<>();
    private final List<Phase> phases = new ArrayList<>();
    /** Scratch copies beside the shadow, removed before it, newest first, unless their stage removed them already. */
    private final List<ShadowDatabase> copies = new ArrayList<>();

    public RunContext(RehearsalConfig config, RehearsalListener listener) {
        this.config = config;
        this.listener = listener;
        this.dialect = Dialect.of(config.shadow().engine());
    }

    RehearsalConfig config() {
        return config;
    }

    RehearsalListener listener() {
        return listener;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The shadow database, once {@link Start} started it. */
    ShadowDatabase shadow() {
        return get(Start.SHADOW).database();
    }

    /** Work on a session of the shadow's own. */
    interface OnShadow<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs the work on a new session of the shadow; the shadow failing is the environment's failure. */
    <T> T onShadow(Purpose purpose, String what, OnShadow<T> work) {
        try (Connection connection = shadow().connect(purpose)) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new InfrastructureException("the shadow failed while " + what + ": " + e.getMessage(),
                    "check the shadow database's log", e);
        }
    }

    <T> void put(Product<T> product, T value) {
        if (products.putIfAbsent(product, value) != null) {
            throw new IllegalStateException(product.name() + " is produced twice");
        }
    }

    <T> T get(Product<T> product) {
        @SuppressWarnings("unchecked")
        T value = (T) products.get(product);
        if (value == null) {
            throw new IllegalStateException(product.name() + " is read before a stage produced it: the stages run out "
                    + "of order");
        }
        return value;
    }

    /** Records a stage's phase, in the order the stages ran. */
    public void phase(String name, long durationMs) {
        phases.add(new Phase(name, durationMs));
    }

    List<Phase> phases() {
        return List.copyOf(phases);
    }

    /**
     * Runs the stages that need the shadow, then removes it, if one started. When they failed, that failure is the one
     * to report, and what could not be removed is said in a line of its own; when the build is interrupted, the
     * shutdown hook removes the shadow and says so.
     */
    public void withShadow(Runnable stages) {
        RuntimeException failure = null;
        try {
            stages.run();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            removeShadow(failure);
        }
    }

    /** Removes the scratch copy, if nothing did, with the shadow: whatever happens to the stages in between. */
    void removeWithShadow(ShadowDatabase copy) {
        copies.add(copy);
    }

    private void removeShadow(RuntimeException failure) {
        for (int i = copies.size() - 1; i >= 0; i--) {
            try {
                copies.get(i).close();
            } catch (RuntimeException e) {
                listener.warn("Could not remove " + copies.get(i).describe() + ": "
                        + (e instanceof RehearsalException known ? known.describe() : e.getMessage()));
            }
        }
        Shadows.Opened opened = (Shadows.Opened) products.get(Start.SHADOW);
        if (opened == null) {
            return;
        }
        ShadowDatabase shadow = opened.database();
        try {
            shadow.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            listener.warn("Could not remove " + shadow.describe() + ": "
                    + (e instanceof RehearsalException known ? known.describe() : e.getMessage()));
            return;
        }
        if (!Interruption.interrupted()) {
            listener.info("Shadow removed: " + shadow.describe());
        }
    }
}
