package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Renamed;
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

                CREATE TABLE settings (
                  `key` VARCHAR(64) NOT NULL,
                  `value` TEXT,
                  PRIMARY KEY (`key`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

                CREATE TABLE legacy_drafts (
                  id BIGINT NOT NULL AUTO_INCREMENT,
                  body TEXT,
                  PRIMARY KEY (id)
                ) ENGINE=InnoDB;

                INSERT INTO authors (id, name) SELECT seq, CONCAT('author ', seq) FROM seq_1_to_200;
                INSERT INTO settings VALUES ('site.name', 'Forum'), ('site.locale', 'en');
                INSERT INTO legacy_drafts (body) SELECT CONCAT('draft ', seq) FROM seq_1_to_100;
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

        Files.writeString(migrations.resolve("V4__site_settings.sql"), "RENAME TABLE settings TO site_settings;\n");
        Files.writeString(migrations.resolve("V5__drop_legacy_drafts.sql"), "DROP TABLE legacy_drafts;\n");
        Files.writeString(migrations.resolve("V6__display_name.sql"),
                "ALTER TABLE authors CHANGE name display_name VARCHAR(100) NOT NULL;\n");
        Files.writeString(migrations.resolve("V7__app_settings.sql"), """
                SET SESSION lock_wait_timeout = 5;
                ALTER TABLE IF EXISTS site_settings RENAME TO app_settings;
                ALTER TABLE app_settings ADD COLUMN note TEXT, ALGORITHM=COPY;
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

    @Test
    void renameTableIsARenameUnderAnExclusiveMetadataLock() {
        StatementResult rename = statement("4");
        assertThat(rename.renamed()).containsExactly(new Renamed("settings", null, "site_settings"));
        assertThat(rename.destroyed()).isEmpty();
        assertThat(rename.locks()).singleElement().satisfies(lock -> {
            assertThat(lock.table()).isEqualTo("settings");
            assertThat(lock.mode()).isEqualTo("MDL_EXCLUSIVE");
            assertThat(lock.blocks()).containsExactly(Access.READS, Access.WRITES);
        });
        assertThat(findings("4")).filteredOn(r -> r != Rule.BLOCKING_LOCK)
                .containsExactlyInAnyOrder(Rule.BREAKING_RENAME, Rule.MISSING_LOCK_TIMEOUT);
        assertThat(result.findings()).filteredOn(f -> "4".equals(f.migration()) && f.rule() == Rule.BREAKING_RENAME)
                .singleElement().satisfies(f -> assertThat(f.message())
                        .contains("renamed table settings to site_settings", "CREATE VIEW settings AS SELECT * FROM "
                                + "site_settings").doesNotContain("values can be lost"));
        assertThat(result.findings()).filteredOn(f -> "4".equals(f.migration()) && f.rule() == Rule.MISSING_LOCK_TIMEOUT)
                .singleElement().satisfies(f -> assertThat(f.message()).contains("took MDL_EXCLUSIVE on settings",
                        "lock_wait_timeout"));
    }

    @Test
    void dropTableIsDestructiveUnderAnExclusiveMetadataLock() {
        StatementResult drop = statement("5");
        assertThat(drop.destroyed()).containsExactly(new Destroyed("legacy_drafts", null, null, null));
        assertThat(drop.locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("legacy_drafts", "MDL_EXCLUSIVE"));
        assertThat(findings("5")).filteredOn(r -> r != Rule.BLOCKING_LOCK)
                .containsExactlyInAnyOrder(Rule.DESTRUCTIVE_CHANGE, Rule.MISSING_LOCK_TIMEOUT);
    }

    @Test
    void aColumnRenamedByChangeIsARename() {
        StatementResult change = statement("6");
        assertThat(change.renamed()).containsExactly(new Renamed("authors", "name", "display_name"));
        assertThat(change.destroyed()).isEmpty();
        assertThat(findings("6")).containsExactly(Rule.BREAKING_RENAME);
    }

    @Test
    void aTableRenamedEarlierInTheMigrationIsStillTraced() {
        MigrationResult migration = migration("7");
        assertThat(migration.statements()).hasSize(3);
        StatementResult rename = migration.statements().get(1);
        StatementResult copy = migration.statements().get(2);
        assertThat(rename.renamed()).containsExactly(new Renamed("site_settings", null, "app_settings"));
        assertThat(copy.rewrites()).containsExactly("app_settings");
        assertThat(copy.locks()).extracting(Lock::table, Lock::mode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app_settings", "LOCK=SHARED"));
        // The session set lock_wait_timeout first: no missing-lock-timeout. Each DDL commits on its own, so a failing
        // copy would leave the rename behind.
        assertThat(findings("7")).filteredOn(r -> r != Rule.BLOCKING_LOCK)
                .containsExactlyInAnyOrder(Rule.BREAKING_RENAME, Rule.TABLE_REWRITE, Rule.NON_ATOMIC_MIGRATION);
    }

    @Test
    void lintPredictsTheRenamesAndTheDrop() {
        assertThat(result.disagreements()).filteredOn(d -> d.rule() == Rule.BREAKING_RENAME
                || d.rule() == Rule.DESTRUCTIVE_CHANGE).isEmpty();
        assertThat(result.lint().findings()).filteredOn(f -> f.finding().rule() == Rule.BREAKING_RENAME)
                .extracting(f -> f.finding().migration()).containsExactly("4", "6", "7");
    }

    private static MigrationResult migration(String version) {
        return result.migrations().stream().filter(m -> version.equals(m.version())).findFirst().orElseThrow();
    }

    private static StatementResult statement(String version) {
        MigrationResult migration = migration(version);
        assertThat(migration.statements()).hasSize(1);
        return migration.statements().get(0);
    }

    private static List<Rule> findings(String version) {
        return result.findings().stream().filter(f -> version.equals(f.migration())).map(Finding::rule).toList();
    }
}
