package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forum's Flyway scripts on MariaDB 10.11, written as real projects write them: a FULLTEXT index (whose hidden
 * InnoDB tables {@code FTS_…} a table copy replaces), a table name that needs quoting ({@code `post-tags`}), renames
 * and a dropped table. What the rehearsal reports must name the user's tables, and only them.
 */
class MariaDbForumIT {
    private static RehearsalResult result;

    @BeforeAll
    static void rehearse(@TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__forum.sql"), """
                CREATE TABLE authors (
                  id BIGINT NOT NULL AUTO_INCREMENT,
                  name VARCHAR(100) NOT NULL,
                  PRIMARY KEY (id)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

                CREATE TABLE posts (
                  id BIGINT NOT NULL AUTO_INCREMENT,
                  author_id BIGINT NOT NULL,
                  title VARCHAR(200) NOT NULL,
                  body TEXT NOT NULL,
                  PRIMARY KEY (id),
                  KEY posts_author (author_id),
                  FULLTEXT KEY posts_fulltext (title, body)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

                CREATE TABLE `post-tags` (
                  post_id BIGINT NOT NULL,
                  tag VARCHAR(40) NOT NULL,
                  PRIMARY KEY (post_id, tag)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

                INSERT INTO authors (id, name) SELECT seq, CONCAT('author ', seq) FROM seq_1_to_200;
                INSERT INTO posts (author_id, title, body)
                  SELECT seq % 200 + 1, CONCAT('Post number ', seq), CONCAT('The body of post ', seq, ' talks about databases')
                  FROM seq_1_to_5000;
                INSERT INTO `post-tags` SELECT seq, 'general' FROM seq_1_to_5000;
                """);
        Files.writeString(migrations.resolve("V2__longer_titles.sql"), """
                -- Titles grow; the copy keeps the full-text index.
                ALTER TABLE posts MODIFY title VARCHAR(300) NOT NULL, ALGORITHM=COPY;
                """);
        Files.writeString(migrations.resolve("V3__longer_tags.sql"), """
                ALTER TABLE `post-tags` MODIFY tag VARCHAR(20) NOT NULL;
                """);

        result = Rehearsal.configure().projectDirectory(project).engine("mariadb").shadow("container")
                .engineVersion("10.11").baseline("1").failOn("none").load().run(event -> { });
    }

    @Test
    void aTableCopyDropsNoneOfTheFullTextIndexesHiddenTables() {
        StatementResult copy = statement("2");
        assertThat(copy.rewrites()).containsExactly("posts");
        assertThat(copy.destroyed()).isEmpty();
        assertThat(copy.locks()).extracting(Lock::table, Lock::mode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("posts", "LOCK=SHARED"));
        assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.DESTRUCTIVE_CHANGE).extracting(Finding::table)
                .allMatch(table -> !table.startsWith("FTS_"));
        // blocking-lock depends on the machine's speed; the rest on what the statement did.
        assertThat(findings("2")).filteredOn(r -> r != Rule.BLOCKING_LOCK)
                .containsExactlyInAnyOrder(Rule.TABLE_REWRITE, Rule.MISSING_LOCK_TIMEOUT);
    }

    @Test
    void aTableWhoseNameNeedsQuotingIsNamedAsItIs() {
        StatementResult narrowed = statement("3");
        assertThat(narrowed.rewrites()).containsExactly("post-tags");
        assertThat(narrowed.locks()).extracting(Lock::table).containsExactly("post-tags");
        assertThat(narrowed.destroyed()).singleElement().satisfies(d -> {
            assertThat(d.table()).isEqualTo("post-tags");
            assertThat(d.column()).isEqualTo("tag");
        });
        assertThat(result.findings()).filteredOn(f -> "3".equals(f.migration())).extracting(Finding::table)
                .containsOnly("post-tags");
    }

    private static StatementResult statement(String version) {
        MigrationResult migration = result.migrations().stream().filter(m -> version.equals(m.version())).findFirst()
                .orElseThrow();
        assertThat(migration.statements()).hasSize(1);
        return migration.statements().get(0);
    }

    private static List<Rule> findings(String version) {
        return result.findings().stream().filter(f -> version.equals(f.migration())).map(Finding::rule).toList();
    }
}
