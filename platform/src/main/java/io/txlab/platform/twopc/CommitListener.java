package io.txlab.platform.twopc;

/**
 * Told when {@link ParticipantRecovery} committed one of this participant's prepared branches - the one path to
 * {@code COMMIT PREPARED} that no request of the service sees (the coordinator's commit call and the service's own
 * settlement do). A service whose branch makes something final announces it here, e.g. order-service counts a
 * recovered {@code twopc} order as finished.
 */
@FunctionalInterface
public interface CommitListener {

    /** {@code globalGid}'s branch was committed by this call (not found already resolved). */
    void committed(String globalGid);
}
