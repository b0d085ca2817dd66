package io.tokengate.servlet;

import java.lang.System.Logger.Level;

import io.tokengate.core.log.LogId;

/** The log ids of the servlet module (TG-03xx): start-up, the bearer filter and the endpoints' container settings. */
public final class ServletLog {
    public static final LogId STARTED = new LogId("TG-0300", Level.INFO, "TokenGate started for {0}: issuer {1}, active key {2}",
            "TokenGate started for an application: its issuer and active key");
    public static final LogId MEMORY_STORE = new LogId("TG-0301", Level.WARNING,
            "refresh tokens of {0} are kept in memory: they are lost on"
            + " restart and not shared between servers. Use tokengate.store=jpa outside tests and demos.",
            "refresh tokens are kept in memory (tokengate.store=memory): tests and demos only");
    public static final LogId INSECURE_COOKIE = new LogId("TG-0302", Level.WARNING,
            "the refresh cookie of {0} is sent without Secure, for http://localhost development only",
            "the refresh cookie is sent without Secure (tokengate.cookie-insecure-localhost): development only");
    public static final LogId ISSUER_OUTSIDE_APPLICATION = new LogId("TG-0303", Level.WARNING, "the issuer {0} does not end in the"
            + " application path {1}: the metadata advertises endpoint URLs under the issuer",
            "the issuer does not end in the application's path: the metadata's endpoint URLs may not reach it");
    public static final LogId FILTER_REFUSES_ALL = new LogId("TG-0304", Level.ERROR, "the bearer filter {0} refuses every request: {1}",
            "the bearer filter found no TokenGate (it failed to start, or is not configured): every request is refused");
    public static final LogId TEMPORARY_DATABASE = new LogId("TG-0305", Level.WARNING, "the refresh tokens of {0} are stored in {1},"
            + " a database {2} ({3}): every refresh token is lost when the server restarts, signing every user out. Name a"
            + " lasting database with tokengate.datasource",
            "the refresh-token store is on a database in memory or in a temporary folder (a server's default datasource): lost on restart");

    private ServletLog() {
    }
}
