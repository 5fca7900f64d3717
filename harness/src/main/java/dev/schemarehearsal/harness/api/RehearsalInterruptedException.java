package dev.schemarehearsal.harness.api;

/**
 * The build was interrupted (Ctrl-C, a CI runner's SIGTERM) or the rehearsal's thread was: whatever failed then
 * failed because the shadow was being removed, not because the shadow or the migrations are broken.
 */
public class RehearsalInterruptedException extends RehearsalException {
    private final String stage;

    /** @param stage the stage the rehearsal was at, e.g. {@code migrate} */
    public RehearsalInterruptedException(String stage, Throwable cause) {
        super("interrupted during the " + stage + " stage; the shadow is removed", null, cause);
        this.stage = stage;
    }

    public String stage() {
        return stage;
    }
}
