package dev.schemarehearsal.harness.shadow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes every shadow still open when the JVM exits, including on Ctrl-C and SIGTERM, so that no container,
 * embedded server or scratch database outlives the build. Shadows register before they start and unregister once
 * closed.
 */
final class Teardown {
    private static final Set<ShadowDatabase> OPEN = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private Teardown() {
    }

    static synchronized void register(ShadowDatabase shadow) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Teardown::closeAll, "schema-rehearsal-teardown"));
            hookInstalled = true;
        }
        OPEN.add(shadow);
    }

    static synchronized void unregister(ShadowDatabase shadow) {
        OPEN.remove(shadow);
    }

    private static void closeAll() {
        List<ShadowDatabase> open;
        synchronized (Teardown.class) {
            open = new ArrayList<>(OPEN);
        }
        for (ShadowDatabase shadow : open) {
            shadow.close();
        }
    }
}
