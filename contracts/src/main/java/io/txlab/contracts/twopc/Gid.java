package io.txlab.contracts.twopc;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Global transaction ids of the {@code twopc} flow: {@code txlab_<uuid>} in lowercase, e.g.
 * {@code txlab_3f1c2a9e-8d4b-4c1e-9a57-0b6f4f1e2d3c} (42 characters).
 *
 * <p>Why this shape: PostgreSQL limits a prepared transaction's gid to 200 bytes and the gid is interpolated into
 * {@code PREPARE TRANSACTION '...'} / {@code COMMIT PREPARED '...'} (those commands take no bind parameters), so it
 * must be short and contain no quote; the fixed {@code txlab_} prefix lets recovery and the in-doubt monitor find
 * our prepared transactions among others with a {@code LIKE 'txlab\_%'} scan; a random UUID needs no central
 * sequence.
 *
 * <p>Inside PostgreSQL each participant prepares under a <em>branch gid</em> {@code <gid>.<branch>} (the XA
 * "branch qualifier"): pg_prepared_xacts is cluster-wide and gids must be unique per cluster, so two participants
 * whose databases share a cluster could not both prepare under the bare gid.
 */
public final class Gid {

    public static final String PREFIX = "txlab_";

    private static final Pattern GID =
            Pattern.compile("txlab_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern BRANCH = Pattern.compile("[a-z][a-z0-9_]{0,29}");

    private Gid() {
    }

    public static String random() {
        return PREFIX + UUID.randomUUID();
    }

    /**
     * The gid of the global transaction that settles one order in the {@code twopc} flow: {@code txlab_<order id>}.
     * Deriving it from the order id (rather than {@link #random()}) lets anyone holding only the order - the
     * launcher, its recovery sweep after a restart, an operator - ask the coordinator about it, and makes a second
     * attempt for the same order collide with the first instead of running twice.
     */
    public static String of(UUID orderId) {
        return PREFIX + orderId.toString().toLowerCase(Locale.ROOT);
    }

    /** The UUID inside a valid gid (the order id for gids made by {@link #of(UUID)}). */
    public static UUID uuidOf(String gid) {
        return UUID.fromString(requireValid(gid).substring(PREFIX.length()));
    }

    public static boolean isValid(String gid) {
        return gid != null && GID.matcher(gid).matches();
    }

    /** @throws IllegalArgumentException unless {@code gid} is {@code txlab_<lowercase uuid>} */
    public static String requireValid(String gid) {
        if (!isValid(gid)) {
            throw new IllegalArgumentException("invalid gid '" + abbreviate(gid) + "': expected txlab_<lowercase uuid>");
        }
        return gid;
    }

    /** @throws IllegalArgumentException unless {@code branch} is 1-30 of {@code [a-z0-9_]}, starting with a letter */
    public static String requireValidBranch(String branch) {
        if (branch == null || !BRANCH.matcher(branch).matches()) {
            throw new IllegalArgumentException("invalid branch '" + abbreviate(branch) + "': expected [a-z][a-z0-9_]{0,29}");
        }
        return branch;
    }

    /** The gid a participant uses in PostgreSQL: {@code <gid>.<branch>}. Both parts are validated. */
    public static String branchGid(String gid, String branch) {
        return requireValid(gid) + "." + requireValidBranch(branch);
    }

    /** The global gid of a branch gid, or {@code null} when {@code branchGid} is not one of ours. */
    public static String globalOf(String branchGid) {
        if (branchGid == null) {
            return null;
        }
        int dot = branchGid.indexOf('.');
        String global = dot < 0 ? branchGid : branchGid.substring(0, dot);
        return isValid(global) ? global : null;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
