package dev.schemarehearsal.it;

import org.testcontainers.DockerClientFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a rehearsal could leave behind: shadow containers, embedded servers, scratch databases. */
final class Leftovers {
    private Leftovers() {
    }

    /** Containers the plugin started for builds under the integration tests' work directory (running or stopped). */
    static List<String> shadowContainers() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dev.schemarehearsal", "shadow")).exec()
                .stream().filter(c -> c.getLabels().getOrDefault("dev.schemarehearsal.project", "").startsWith(MavenBuild.WORK.toString()))
                .map(c -> c.getId()).toList();
    }

    /** Embedded PostgreSQL servers of builds under the integration tests' work directory (their data lives there). */
    static List<Long> embeddedServers() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().commandLine().map(c -> c.contains("-D " + MavenBuild.WORK)).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Scratch databases on a server. */
    static List<String> scratchDatabases(String adminUrl, String user, String password) throws SQLException {
        String sql = adminUrl.startsWith("jdbc:postgresql:")
                ? "SELECT datname FROM pg_database WHERE datname LIKE 'schema\\_rehearsal\\_%'"
                : "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'schema\\_rehearsal\\_%'";
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             ResultSet rs = connection.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
