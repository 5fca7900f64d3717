package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.shadow.Shadows;

/** Starts the shadow database the configuration asks for; the run removes it when it closes. */
public final class Start implements Stage {
    static final Product<Shadows.Opened> SHADOW = new Product<>("the shadow database");

    @Override
    public String name() {
        return "start";
    }

    @Override
    public void run(RunContext run) {
        run.put(SHADOW, Shadows.open(run.config(), run.listener()));
    }
}
