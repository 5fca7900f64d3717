package dev.schemarehearsal.maven;

import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalListener;
import org.apache.maven.plugin.logging.Log;

/** Forwards the harness's events to Maven's log at their level. */
final class MavenLogListener implements RehearsalListener {
    private final Log log;

    MavenLogListener(Log log) {
        this.log = log;
    }

    @Override
    public void on(RehearsalEvent event) {
        switch (event.level()) {
            case DEBUG -> log.debug(event.message());
            case INFO -> log.info(event.message());
            case WARN -> log.warn(event.message());
            case ERROR -> log.error(event.message());
        }
    }
}
