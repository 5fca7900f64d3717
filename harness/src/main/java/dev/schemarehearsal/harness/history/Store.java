package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.history.Records.Reading;
import dev.schemarehearsal.harness.history.Records.Stored;

import java.util.List;

/**
 * Where the runs are kept: a folder or a database. Each run is appended as one record and never changed; records are
 * only deleted by the retention, and only those this version could read.
 */
interface Store {

    /** The store the configuration names. */
    static Store of(RehearsalConfig.History history) {
        return history.folder() != null ? new FolderStore(history.folder())
                : new DatabaseStore(history.url(), history.user(), history.password());
    }

    /** Every record, those this version reads oldest first, and a sentence for each it cannot. */
    Reading read();

    /** Appends the record; returns it as stored. */
    Stored append(RunRecord record);

    /** Deletes these records; one already gone (another job's retention took it) is no error. */
    void delete(List<Stored> records);
}
