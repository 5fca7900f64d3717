package dev.schemarehearsal.harness.dialect;

import org.mariadb.jdbc.message.server.ErrorPacket;
import org.mariadb.jdbc.util.log.Loggers;

/**
 * The MariaDB driver logs every error the server sends as a warning of its own before the caller sees the
 * exception, the expected ones too: each ALTER algorithm a server refuses while {@link MySqlDialect#alterAlgorithm}
 * tries them would be a warning line in the build's log. The tool says what an error means where it handles it, so
 * the driver's error logger is made silent once, before the first session; its other loggers are kept.
 */
final class MariaDbErrorLog {
    private static boolean silenced;

    private MariaDbErrorLog() {
    }

    /** Makes the driver's error logger silent; does nothing once its logger exists (an error was already logged). */
    static synchronized void silence() {
        if (silenced) {
            return;
        }
        silenced = true;
        // The driver picks its loggers' factory from a system property, and a class's logger when the class loads:
        // the error packet's loads with the silent factory, then the factory goes back to what the property says.
        String was = System.getProperty(Loggers.NO_LOGGER_PROPERTY);
        System.setProperty(Loggers.NO_LOGGER_PROPERTY, "true");
        try {
            Loggers.init();
            Class.forName(ErrorPacket.class.getName(), true, ErrorPacket.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the MariaDB driver has no " + ErrorPacket.class.getName(), e);
        } finally {
            if (was == null) {
                System.clearProperty(Loggers.NO_LOGGER_PROPERTY);
            } else {
                System.setProperty(Loggers.NO_LOGGER_PROPERTY, was);
            }
            Loggers.init();
        }
    }
}
