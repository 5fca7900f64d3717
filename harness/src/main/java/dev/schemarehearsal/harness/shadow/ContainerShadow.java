package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.ShadowKind;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The engine's image run by Testcontainers; removed with its volumes on close. */
final class ContainerShadow implements ShadowDatabase {
    /** Testcontainers' own switch, read as Testcontainers reads it. */
    private static final boolean RYUK_DISABLED = Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"));
    private final Engine engine;
    private final String image;
    private final String project;
    private final RehearsalListener listener;
    private JdbcDatabaseContainer<?> container;
    private String serverVersion;
    private boolean closed;

    /**
     * @param project  the project directory, kept as a label so a container can be traced to its build
     * @param listener told when the build is interrupted and the container removed
     */
    ContainerShadow(Engine engine, String image, String project, RehearsalListener listener) {
        this.engine = engine;
        this.image = image;
        this.project = project;
        this.listener = listener;
    }

    synchronized ContainerShadow start() {
        ensureImage();
        Teardown.register(this, listener);
        DockerImageName name = DockerImageName.parse(image).asCompatibleSubstituteFor(officialName(engine));
        container = switch (engine) {
            case POSTGRESQL -> new PostgreSQLContainer(name)
                    // fsync off: the shadow is thrown away, and durability costs the rehearsal time, not insight.
                    .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200");
            // MySQL 8 refuses LOAD DATA LOCAL INFILE unless the server allows it; MariaDB allows it by default.
            case MYSQL -> new MySQLContainer(name).withCommand("--local-infile=1");
            case MARIADB -> new MariaDBContainer(name);
        };
        container.withDatabaseName("rehearsal")
                .withUsername(engine == Engine.POSTGRESQL ? "rehearsal" : "root")
                .withPassword("rehearsal")
                .withStartupTimeout(Duration.ofMinutes(3))
                .withLabel("dev.schemarehearsal", "shadow")
                .withLabel("dev.schemarehearsal.project", project);
        try {
            container.start();
            try (Connection connection = connect(Purpose.ADMIN)) {
                serverVersion = connection.getMetaData().getDatabaseProductVersion();
            }
        } catch (RuntimeException | SQLException e) {
            close();
            throw new InfrastructureException("could not start a " + image + " container: " + e.getMessage(),
                    "check that the Docker engine answers ('docker info') and that the image '" + image
                            + "' can be pulled or is present, or set <shadow>embedded</shadow> (PostgreSQL) or <serverUrl>",
                    e);
        }
        return this;
    }

    /**
     * Pulls the image once if it isn't local. Testcontainers would retry a failing pull for minutes; one attempt
     * and a clear message serve a build better.
     */
    private void ensureImage() {
        DockerClient docker;
        try {
            docker = DockerClientFactory.instance().client();
        } catch (RuntimeException e) {
            throw new InfrastructureException("the Docker engine did not answer: " + e.getMessage(),
                    "check 'docker info'; without a registry, set TESTCONTAINERS_RYUK_DISABLED=true", e);
        }
        try {
            docker.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException absent) {
            // Pull it below.
        }
        try {
            docker.pullImageCmd(image).start().awaitCompletion(10, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            throw new InfrastructureException("the image " + image + " is not present and could not be pulled: "
                    + e.getMessage().strip(), "pull it where a registry is reachable ('docker pull " + image + "'), set <image> "
                    + "to an image you have, or set <shadow>embedded</shadow> (PostgreSQL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while pulling " + image, null, e);
        }
    }

    /**
     * Without Ryuk, Testcontainers removes its containers from a JVM shutdown hook of its own, which runs at the same
     * time as the teardown's: two removals of one container fail one of them, with a stack trace from Testcontainers'
     * hook. So the teardown lets that hook remove the container, and removes it itself only if it is still there
     * after a while.
     */
    private void awaitRemovedByTestcontainers() {
        DockerClient docker = DockerClientFactory.instance().client();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                docker.inspectContainerCmd(container.getContainerId()).exec();
                Thread.sleep(100);
            } catch (NotFoundException removed) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The engine's official image at a version, e.g. {@code postgres:16}. */
    static String officialImage(Engine engine, String version) {
        return officialName(engine) + ":" + version;
    }

    /** The engine's official image's name on Docker Hub; another image passes for it as a compatible substitute. */
    private static String officialName(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> "postgres";
            case MYSQL -> "mysql";
            case MARIADB -> "mariadb";
        };
    }

    @Override
    public ShadowKind kind() {
        return ShadowKind.CONTAINER;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    @Override
    public String describe() {
        return "container " + image + (container != null && container.getContainerId() != null
                ? " (" + container.getContainerId().substring(0, 12) + ")" : "");
    }

    /** On the container's own database, which lives as long as the container. */
    @Override
    public ShadowDatabase scratchBeside() {
        Endpoint own = endpoint();
        return new ServerShadow(engine, own.url(), own.user(), own.password(), listener, true).start();
    }

    /** From the server's maintenance database where the engine has one: a template can't be copied from within. */
    @Override
    public ShadowDatabase scratchCopy(Predicate<String> withRows) {
        Endpoint own = endpoint();
        String maintenance = dialect().measuring().maintenanceDatabase();
        String admin = maintenance == null ? own.url() : ServerShadow.withDatabase(own.url(), maintenance);
        return new ServerShadow(engine, admin, own.user(), own.password(), listener, true)
                .startCopy(container.getDatabaseName(), withRows);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (container != null) {
                if (Teardown.started() && RYUK_DISABLED && container.getContainerId() != null) {
                    awaitRemovedByTestcontainers();
                }
                container.stop();
            }
        } finally {
            Teardown.unregister(this);
        }
    }
}
