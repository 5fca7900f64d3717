package dev.schemarehearsal.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code mvn} build of a copy of a fixture project, with the plugin from the local repository. */
final class MavenBuild {
    static final Path FIXTURES = Path.of(System.getProperty("fixtures.directory")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("work.directory")).toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path project;
    private final Path log;
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private boolean withoutDocker;
    private String goal = "schema:rehearse";
    private Process process;

    private MavenBuild(Path project, String log) {
        this.project = project;
        this.log = project.resolve(log);
    }

    /** A fresh copy of {@code fixtures/<fixture>}, named after the scenario. */
    static MavenBuild of(String fixture, String scenario) {
        Path copy = WORK.resolve(scenario);
        deleteRecursively(copy);
        copyRecursively(FIXTURES.resolve(fixture), copy);
        return new MavenBuild(copy, "build.log");
    }

    /** The same build again, on the same copy as it is now (its target folder included), logging to {@code build-2.log}. */
    MavenBuild again() {
        MavenBuild again = new MavenBuild(project, "build-2.log");
        again.arguments.addAll(arguments);
        again.environment.putAll(environment);
        again.withoutDocker = withoutDocker;
        again.goal = goal;
        return again;
    }

    MavenBuild arg(String argument) {
        arguments.add(argument);
        return this;
    }

    /** Runs this goal instead of {@code schema:rehearse}. */
    MavenBuild goal(String goal) {
        this.goal = goal;
        return this;
    }

    MavenBuild env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Runs the build as on a machine without Docker: the engine's socket is hidden in a private mount namespace. */
    MavenBuild withoutDocker() {
        withoutDocker = true;
        return this;
    }

    Path project() {
        return project;
    }

    Path report(String file) {
        return project.resolve("target/schema-rehearsal").resolve(file);
    }

    /** Starts {@code mvn schema:rehearse} (or the goal set) and returns at once. */
    MavenBuild start() throws IOException {
        List<String> command = new ArrayList<>();
        if (withoutDocker) {
            command.addAll(List.of("unshare", "--mount", "sh", "-c",
                    "mount --bind /dev/null /var/run/docker.sock && exec \"$@\"", "sh"));
        }
        // Background jobs inherit an ignored SIGINT, and a JVM started so never hears Ctrl-C: restore the default.
        command.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
        command.add(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString());
        command.addAll(List.of("-B", "-ntp", "-Dmaven.repo.local=" + System.getProperty("maven.repo.local")));
        command.add(goal);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
        builder.environment().put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /** Runs the build to its end. */
    Result run() throws IOException, InterruptedException {
        start();
        return waitForExit();
    }

    Result waitForExit() throws InterruptedException, IOException {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the build did not end within " + TIMEOUT + "; log:\n" + log());
        }
        return new Result(process.exitValue(), log());
    }

    /** Waits until the log shows the text. */
    void awaitLog(String text) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (!log().contains(text)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the log never showed '" + text + "'; log:\n" + log());
            }
            Thread.sleep(200);
        }
    }

    /** Sends a signal to the Maven JVM, as Ctrl-C or a CI runner's cancel would. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    record Result(int exitCode, String log) { }

    private static void copyRecursively(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.getFileName().toString().equals("target")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(from.relativize(dir)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.REPLACE_EXISTING);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var paths = Files.walk(path)) {
            paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
