package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.RehearsalListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The folder an embedded server runs from, {@code embedded-postgres-<random>} in the report directory: its data in
 * {@code data/}, and {@code owner.lock}, locked by the JVM that runs the server for as long as it runs. The
 * operating system releases the lock when that JVM dies, however it dies, so a folder whose lock is free belongs to
 * a build that is gone: {@link #removeLeftovers} stops its server and deletes it.
 */
final class EmbeddedFolder implements AutoCloseable {
    static final String PREFIX = "embedded-postgres-";
    private static final String LOCK = "owner.lock";
    /** Locks this JVM holds: probing one of them would release it (POSIX locks belong to the process, not the file). */
    private static final Set<Path> OWNED = new HashSet<>();

    private final Path folder;
    private final FileChannel lock;

    private EmbeddedFolder(Path folder, FileChannel lock) {
        this.folder = folder;
        this.lock = lock;
    }

    /** A new folder in the parent, locked by this JVM. */
    static EmbeddedFolder create(Path parent) throws IOException {
        Path folder = Files.createDirectories(parent.toAbsolutePath().normalize().resolve(PREFIX + UUID.randomUUID()));
        FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.lock();
        synchronized (OWNED) {
            OWNED.add(folder);
        }
        return new EmbeddedFolder(folder, channel);
    }

    Path path() {
        return folder;
    }

    /** The server's data folder, where {@code postmaster.pid} is. */
    Path data() {
        return folder.resolve("data");
    }

    /** Unlocks and deletes the folder, once its server is stopped. */
    @Override
    public void close() {
        try {
            lock.close();
            delete(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            synchronized (OWNED) {
                OWNED.remove(folder);
            }
        }
    }

    /**
     * Stops the servers whose folders in the parent belong to builds that are gone (a build killed with SIGKILL,
     * whose watchdog was killed too or could not run), and deletes their folders; says so for each.
     */
    static void removeLeftovers(Path parent, RehearsalListener listener) {
        List<Path> folders;
        try (Stream<Path> children = Files.list(parent.toAbsolutePath().normalize())) {
            folders = children.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p)).toList();
        } catch (NoSuchFileException nothingYet) {
            return;
        } catch (IOException e) {
            listener.warn("Could not look for embedded servers left by killed builds in " + parent + ": " + e.getMessage());
            return;
        }
        for (Path folder : folders) {
            if (!ownerGone(folder)) {
                continue;
            }
            String pid = postmasterPid(folder);
            if (!Watchdog.available()) {
                listener.warn("An embedded PostgreSQL of a killed build was left in " + folder
                        + (pid == null ? "" : " (server process " + pid + ")") + ": stop it with 'pg_ctl stop -D "
                        + folder.resolve("data") + "' and delete the folder");
                continue;
            }
            try {
                Watchdog.stopAndRemove(folder);
                listener.info("Removed an embedded PostgreSQL left by a killed build: " + folder
                        + (pid == null ? "" : " (server process " + pid + " stopped)"));
            } catch (IOException e) {
                listener.warn("Could not remove the embedded PostgreSQL left by a killed build in " + folder + ": "
                        + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether no running JVM holds the folder's lock. */
    private static boolean ownerGone(Path folder) {
        synchronized (OWNED) {
            if (OWNED.contains(folder)) {
                return false;
            }
        }
        try (FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.WRITE);
             FileLock probe = channel.tryLock()) {
            return probe != null;
        } catch (NoSuchFileException e) {
            // Deleted meanwhile (by its build or its watchdog), or not locked yet: not ours to judge.
            return false;
        } catch (OverlappingFileLockException | IOException e) {
            return false;
        }
    }

    private static String postmasterPid(Path folder) {
        try (Stream<String> lines = Files.lines(folder.resolve("data/postmaster.pid"))) {
            return lines.findFirst().map(String::strip).orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
