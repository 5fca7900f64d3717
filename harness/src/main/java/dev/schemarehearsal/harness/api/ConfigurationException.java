package dev.schemarehearsal.harness.api;

/**
 * Bad input: a parameter, file or definition the user controls. Names the parameter (and file and line when
 * there is one) so that build tools can point at it.
 */
public class ConfigurationException extends RehearsalException {
    private final String parameter;

    public ConfigurationException(String parameter, String message, String fix) {
        this(parameter, message, fix, null);
    }

    public ConfigurationException(String parameter, String message, String fix, Throwable cause) {
        super(message, fix, cause);
        this.parameter = parameter;
    }

    /** The configuration parameter at fault, e.g. {@code baseline}. */
    public String parameter() {
        return parameter;
    }
}
