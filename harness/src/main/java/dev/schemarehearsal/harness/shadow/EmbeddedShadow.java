package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.ShadowKind;
import dev.schemarehearsal.harness.dialect.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL binaries from a Maven artifact, run as a local process on a random port from an
 * {@link EmbeddedFolder}, deleted on close. A {@link Watchdog} stops the server if the build dies without doing so.
 */
final class EmbeddedShadow implements ShadowDatabase {
    static final String DATABASE = "rehearsal";
    private final Path binariesJar;
    private final Path parent;
    private final RehearsalListener listener;
    private EmbeddedFolder folder;
    private Watchdog watchdog;
    private EmbeddedPostgres postgres;
    private String serverVersion;
    private boolean closed;

    /**
     * @param parent   where the server's folder goes; inside the build's own output, so that whatever a killed build
     *                 leaves is found there by the next one, and cleaned with the rest of it
     * @param listener told when the build is interrupted and the server stopped
     */
    EmbeddedShadow(Path binariesJar, Path parent, RehearsalListener listener) {
        this.binariesJar = binariesJar;
        this.parent = parent;
        this.listener = listener;
    }

    /** Whether embedded binaries exist for the engine: PostgreSQL's only. */
    static boolean runs(Engine engine) {
        return engine == Engine.POSTGRESQL;
    }

    synchronized EmbeddedShadow start() {
        Teardown.register(this, listener);
        try {
            folder = EmbeddedFolder.create(parent);
            if (Watchdog.available()) {
                watchdog = Watchdog.watch(folder.path());
            }
            postgres = EmbeddedPostgres.builder()
                    .setPgBinaryResolver((system, architecture) -> archive())
                    .setRegisterShutdownHook(false)
                    .setDataDirectory(folder.data())
                    .setCleanDataDirectory(true)
                    // The server's own log would flood the build log; its errors reach us through JDBC.
                    .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
                    .setServerConfig("fsync", "off")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    .start();
            try (Connection connection = server().connect(Dialect.of(Engine.POSTGRESQL), Purpose.ADMIN);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
                serverVersion = connection.getMetaData().getDatabaseProductVersion();
            }
        } catch (IOException | SQLException | RuntimeException e) {
            close();
            throw new InfrastructureException("could not start embedded PostgreSQL from " + binariesJar + ": " + e.getMessage(),
                    "check the binaries artifact matches this platform, or set <shadow>container</shadow> or <serverUrl>", e);
        }
        return this;
    }

    /** The binaries' .txz archive inside the jar, read whole: the jar is closed before the archive is extracted. */
    private InputStream archive() throws IOException {
        try (ZipFile jar = new ZipFile(binariesJar.toFile())) {
            ZipEntry entry = jar.stream()
                    .filter(e -> e.getName().endsWith(".txz"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no .txz archive in " + binariesJar));
            try (InputStream in = jar.getInputStream(entry)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }

    @Override
    public ShadowKind kind() {
        return ShadowKind.EMBEDDED;
    }

    @Override
    public Engine engine() {
        return Engine.POSTGRESQL;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(postgres.getJdbcUrl("postgres", DATABASE), "postgres", "postgres");
    }

    /** The server's own {@code postgres} database, which lives as long as the server. */
    private Endpoint server() {
        return new Endpoint(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL " + serverVersion + (postgres != null ? " on port " + postgres.getPort() : "");
    }

    /** On the server's {@code postgres} database, which lives as long as the server. */
    @Override
    public ShadowDatabase scratchBeside() {
        Endpoint server = server();
        return new ServerShadow(Engine.POSTGRESQL, server.url(), server.user(), server.password(), listener, true).start();
    }

    @Override
    public ShadowDatabase scratchCopy(Predicate<String> withRows) {
        Endpoint server = server();
        return new ServerShadow(Engine.POSTGRESQL, server.url(), server.user(), server.password(), listener, true)
                .startCopy(DATABASE, withRows);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // Nothing more can be done: the process is gone or pg_ctl reported why in the log.
                }
            }
            if (folder != null) {
                folder.close();
            }
            // Only once the folder is gone: else the watchdog deletes it when the JVM ends.
            if (watchdog != null) {
                watchdog.dismiss();
            }
        } catch (UncheckedIOException e) {
            throw new InfrastructureException("could not remove embedded PostgreSQL in " + folder.path() + ": "
                    + e.getMessage(), "stop it with 'pg_ctl stop -D " + folder.data() + "' and delete the folder", e);
        } finally {
            Teardown.unregister(this);
        }
    }
}
