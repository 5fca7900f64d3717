package dev.schemarehearsal.harness.api;

/** The environment failed the rehearsal: no Docker engine, an unreachable server, binaries that won't start. */
public class InfrastructureException extends RehearsalException {
    public InfrastructureException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
