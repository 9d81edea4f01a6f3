package io.govip.testing;

import io.govip.config.EtcdSettings.Credentials;

/**
 * The users {@link EtcdServer#enableAuth()} creates: root, and a user whose only role grants readwrite on a key
 * prefix, so that tests can tell "wrong password" from "no permission" from "no credentials at all".
 */
public record EtcdAuth(Credentials root, Credentials user, String role, String prefix) {

    static final EtcdAuth DEFAULT = new EtcdAuth(new Credentials("root", "root-secret"),
            new Credentials("govip", "govip-secret"), "govip-readwrite", "/govip/");
}
