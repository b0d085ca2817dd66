package io.tokengate.ee;

import java.lang.System.Logger.Level;

import io.tokengate.core.log.LogId;

/** The log ids of the EE extension (TG-04xx): the mechanism, cluster revocations, cleanup, administration and the hand-off. */
public final class EeLog {
    public static final LogId MECHANISM = new LogId("TG-0400", Level.INFO, "TokenGate is the authentication mechanism of {0}",
            "TokenGate is the application's authentication mechanism");
    public static final LogId REVOCATIONS_WHERE = new LogId("TG-0401", Level.INFO, "revocations of {0} are {1}",
            "where revocations live (JCache cache name, or in memory and why)");
    public static final LogId CLEANUP_DONE = new LogId("TG-0402", Level.INFO,
            "cleanup deleted {0} families, {1} rotated-token records and {2}"
            + " expired revocations in {3} ms (started {4})",
            "a cleanup run deleted families, rotated-token records and expired revocations: how many, in how many ms, and when it started");
    public static final LogId CLEANUP_FAILED = new LogId("TG-0403", Level.WARNING, "cleanup failed after deleting {0} families and {1}"
            + " rotated-token records, retried in {2}: {3}",
            "a cleanup run failed (database down?); retried at the next interval");
    public static final LogId CLEANUP_OFF = new LogId("TG-0404", Level.INFO,
            "scheduled cleanup of {0} is off (tokengate.cleanup-interval=PT0S)",
            "scheduled cleanup is off (tokengate.cleanup-interval=PT0S)");
    public static final LogId NO_PASSWORD_STORE = new LogId("TG-0405", Level.WARNING,
            "no identity store validated the password of a password"
            + " grant: declare one (@DatabaseIdentityStoreDefinition, @LdapIdentityStoreDefinition or an IdentityStore bean)",
            "a password grant found no identity store that validates passwords");
    public static final LogId CLUSTER_UNREADABLE = new LogId("TG-0406", Level.WARNING,
            "cannot read the cluster''s revocations (retrying): {0}",
            "the cluster's revocations could not be read (retried every 500 ms)");
    public static final LogId ADMIN_REVOKED_FAMILY = new LogId("TG-0407", Level.INFO, "{0} revoked family {1} (was active: {2})",
            "an administrator revoked a family");
    public static final LogId ADMIN_ACTION_FAILED = new LogId("TG-0408", Level.ERROR, "administration action {0} by {1} failed",
            "an administration action failed on an unexpected error (answered 503)");
    public static final LogId CACHE_EVICTS = new LogId("TG-0409", Level.WARNING, "the revocation cache {0} evicts entries beyond a maximum"
            + " size: revocations beyond it are lost to servers that join later. It was created by another server or by the data"
            + " grid''s configuration; configure it without eviction",
            "the cluster's revocation cache evicts entries: configure it without eviction");
    public static final LogId HANDOFF_GROUPS_FAILED = new LogId("TG-0410", Level.WARNING,
            "an identity store failed to give the groups of a hand-off caller: {0}",
            "an identity store failed during a hand-off (answered 503)");
    public static final LogId NO_CLEANUP_EXECUTOR = new LogId("TG-0411", Level.WARNING,
            "no {0}: expired refresh tokens of {1} are not cleaned up",
            "no managed scheduled executor: expired refresh tokens are not cleaned up");
    public static final LogId CLUSTER_WRITE_PENDING = new LogId("TG-0412", Level.WARNING, "a revocation is enforced on this server but not"
            + " yet shared with the cluster (retrying): {0}",
            "a revocation could not be written to the cluster's cache yet: enforced here, retried every 500 ms");
    public static final LogId CLUSTER_ENTRY_LOST = new LogId("TG-0413", Level.WARNING, "revocation entry {0} of the cluster never became"
            + " readable (its writer failed, or the cache evicted it): that revocation may be enforced on its own server only",
            "a cluster revocation entry never became readable: it may be enforced on its own server only");
    public static final LogId ADMIN_SIGNED_OUT = new LogId("TG-0414", Level.INFO, "{0} signed {1} out everywhere ({2} families)",
            "an administrator signed a user out everywhere");
    public static final LogId ADMIN_ROTATED_KEYS = new LogId("TG-0415", Level.INFO, "{0} rotated the signing keys: {1}",
            "an administrator rotated the signing keys");
    public static final LogId ADMIN_RETIRED_KEY = new LogId("TG-0416", Level.WARNING, "{0} retired key {1}: tokens it signed are refused"
            + " from now on; keys {2}", "an administrator retired a key: tokens it signed are refused from now on");
    public static final LogId NO_LOGIN_FOR_AUTHORIZATION = new LogId("TG-0417", Level.ERROR, "the authorization endpoint cannot sign a"
            + " user in: the application has no login mechanism ({0}); give it one (FORM, a custom form, or TokenGate as its mechanism)",
            "the authorization endpoint found no login mechanism in the application (answered 503)");
    public static final LogId DPOP_CACHE_UNAVAILABLE = new LogId("TG-0418", Level.WARNING, "the cluster''s DPoP proof cache {0} cannot be"
            + " written ({1}): proofs are checked against this server''s memory only, so a proof could be replayed to another server"
            + " within its acceptance window", "the cluster's DPoP proof cache cannot be written: proofs are checked on this server only");

    private EeLog() {
    }
}
