package dev.schemarehearsal.maven;

import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The migrations' locations as the project's flyway-maven-plugin has them, so a project configures them once.
 * Only the plugin-level {@code <configuration>} counts: an execution's configuration applies to that execution.
 */
final class FlywayPluginLocations {
    static final String GROUP_ID = "org.flywaydb";
    static final String ARTIFACT_ID = "flyway-maven-plugin";
    private static final String CLASSPATH = "classpath:";

    private FlywayPluginLocations() {
    }

    /** The {@code <locations>} of the flyway-maven-plugin configuration, or an empty list (the harness's default). */
    static List<String> of(MavenProject project, Log log) {
        Plugin flyway = project.getPlugin(GROUP_ID + ":" + ARTIFACT_ID);
        if (flyway == null || !(flyway.getConfiguration() instanceof Xpp3Dom configuration)) {
            return List.of();
        }
        Xpp3Dom locations = configuration.getChild("locations");
        if (locations == null) {
            return List.of();
        }
        // Flyway takes <locations><location>…</location></locations>, and a comma-separated <locations> as well.
        List<String> values = locations.getChildCount() > 0
                ? Arrays.stream(locations.getChildren()).map(Xpp3Dom::getValue).toList()
                : Arrays.asList(String.valueOf(locations.getValue()).split(","));
        values = values.stream().filter(v -> v != null && !v.isBlank()).map(v -> inResources(project, v.trim())).toList();
        if (!values.isEmpty()) {
            log.info("Locations from " + ARTIFACT_ID + ": " + String.join(", ", values));
        }
        return values;
    }

    /**
     * Flyway's Maven plugin reads {@code classpath:} locations from the project's own classes, which the rehearsal
     * can't see: such a location is the same folder in the project's resource directories.
     */
    private static String inResources(MavenProject project, String location) {
        if (location.contains(":") && !location.startsWith(CLASSPATH)) {
            return location;
        }
        String folder = location.startsWith(CLASSPATH) ? location.substring(CLASSPATH.length()) : location;
        return project.getResources().stream()
                .map(r -> Path.of(r.getDirectory()).resolve(folder.replaceFirst("^/", "")))
                .filter(Files::isDirectory)
                .map(p -> "filesystem:" + p)
                .findFirst().orElse(location);
    }
}
