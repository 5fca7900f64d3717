package dev.schemarehearsal.harness;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness's packages depend on each other in one direction only: {@code jdeps} lists the dependencies of the
 * compiled classes, and no package reaches itself again through them.
 */
class PackagesTest {
    private static final String HARNESS = "dev.schemarehearsal.harness";
    private static final Pattern EDGE = Pattern.compile("^\\s+(" + Pattern.quote(HARNESS) + "\\S*)\\s+->\\s+("
            + Pattern.quote(HARNESS) + "\\S*)\\s");

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> dependencies = dependencies();
        assertThat(dependencies).as("jdeps read the harness's classes").containsKeys(HARNESS + ".stage",
                HARNESS + ".migrate", HARNESS + ".shadow");
        List<String> cycles = new ArrayList<>();
        for (String start : dependencies.keySet()) {
            path(start, start, dependencies, new ArrayList<>(List.of(start)), new TreeSet<>())
                    .ifPresent(cycle -> cycles.add(String.join(" -> ", cycle)));
        }
        assertThat(cycles).isEmpty();
    }

    /** A path from {@code from} back to {@code start}, if there is one. */
    private static Optional<List<String>> path(String start, String from, Map<String, Set<String>> dependencies,
                                                         List<String> path, Set<String> seen) {
        for (String next : dependencies.getOrDefault(from, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return Optional.of(cycle);
            }
            if (seen.add(next)) {
                path.add(next);
                Optional<List<String>> found = path(start, next, dependencies, path, seen);
                if (found.isPresent()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return Optional.empty();
    }

    /** Package to the other harness packages it uses, from jdeps on the compiled classes. */
    private static Map<String, Set<String>> dependencies() {
        Path classes = Path.of("target/classes");
        assertThat(classes).as("the compiled classes").isDirectory();
        assertThat(Files.isDirectory(classes.resolve(HARNESS.replace('.', '/')))).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                classes.toString());
        assertThat(exit).as(out.toString()).isZero();
        Map<String, Set<String>> dependencies = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                dependencies.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
            }
        }
        return dependencies;
    }
}
