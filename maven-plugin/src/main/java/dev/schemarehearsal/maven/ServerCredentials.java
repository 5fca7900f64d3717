package dev.schemarehearsal.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** A user and password: from a settings.xml {@code <server>} (decrypted) when a server id is given, else as given. */
record ServerCredentials(String user, String password) {

    /**
     * @param userParameter the parameters to name when no server id is set, e.g. {@code <serverUser>/<serverPassword>}
     */
    static ServerCredentials resolve(String serverId, String user, String password, String userParameter, Settings settings,
                                     SettingsDecrypter decrypter, Log log) throws MojoFailureException {
        if (serverId == null || serverId.isBlank()) {
            return new ServerCredentials(user, password);
        }
        Server server = settings.getServer(serverId);
        if (server == null) {
            throw new MojoFailureException("<serverId>: settings.xml has no <server> with id '" + serverId
                    + "'. Fix: add <server><id>" + serverId + "</id><username>…</username><password>…</password></server> "
                    + "to ~/.m2/settings.xml, or set " + userParameter);
        }
        SettingsDecryptionResult decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : decrypted.getProblems()) {
            log.warn("settings.xml <server> " + serverId + ": " + problem.getMessage());
        }
        Server plain = decrypted.getServer();
        return new ServerCredentials(plain.getUsername(), plain.getPassword());
    }
}
