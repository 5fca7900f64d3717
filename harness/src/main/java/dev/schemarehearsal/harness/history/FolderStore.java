package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.history.Records.Parsed;
import dev.schemarehearsal.harness.history.Records.Reading;
import dev.schemarehearsal.harness.history.Records.Stored;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A folder of one JSON file per run, named after its time and a random suffix so that two jobs never pick the same
 * name. A file is written beside its final name and then renamed in one step: a reader sees the whole record or none.
 * Anything else in the folder (hidden files, files not ending in {@code .json}) is left alone.
 */
final class FolderStore implements Store {
    private static final String SUFFIX = ".json";

    private final Path folder;

    FolderStore(Path folder) {
        this.folder = folder;
    }

    @Override
    public Reading read() {
        if (!Files.exists(folder)) {
            return new Reading(List.of(), List.of());
        }
        List<Stored> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(FolderStore::isRecord).sorted().toList()) {
                Parsed parsed = parse(file);
                if (parsed.record() != null) {
                    runs.add(new Stored(file.getFileName().toString(), parsed.record()));
                } else {
                    skipped.add(parsed.skipped());
                }
            }
        } catch (IOException e) {
            throw failure("could not read the history folder " + folder, e);
        }
        return new Reading(runs, skipped);
    }

    private Parsed parse(Path file) {
        try {
            return Records.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Records.unreadable(file.toString(), e.toString());
        }
    }

    @Override
    public Stored append(RunRecord record) {
        String name = record.at().replace(':', '-') + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
                + SUFFIX;
        Path file = folder.resolve(name);
        Path partial = folder.resolve("." + name + ".partial");
        try {
            Files.createDirectories(folder);
            Files.writeString(partial, Records.json(record), StandardCharsets.UTF_8);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file);
            }
            return new Stored(name, record);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // The append's own failure is the news.
            }
            throw failure("could not append the run to the history folder " + folder, e);
        }
    }

    @Override
    public void delete(List<Stored> records) {
        for (Stored record : records) {
            try {
                Files.deleteIfExists(folder.resolve(record.id()));
            } catch (IOException e) {
                throw failure("could not delete the old run " + folder.resolve(record.id()), e);
            }
        }
    }

    private static boolean isRecord(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(file);
    }

    private InfrastructureException failure(String what, IOException e) {
        return new InfrastructureException(what + ": " + e, "check that <history> names a folder this build may "
                + "write to", e);
    }
}
