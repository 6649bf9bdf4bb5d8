package io.txlab.order.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LongPollPropertiesTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void unsetTheBoundIsWhatAQuarterOfTheHeapHolds() {
        LongPollProperties unset = new LongPollProperties(null);

        // The devstack's 256 MiB heap: 64 MiB for waiters at 96 KiB each. It ran out of heap with 1955 of them.
        assertThat(unset.maxWaitingFor(256 * MIB)).isEqualTo(682);
        assertThat(unset.maxWaitingFor(1024 * MIB)).isEqualTo(2730);
    }

    @Test
    void theDerivedBoundStaysWithinOneAndItsCeiling() {
        LongPollProperties unset = new LongPollProperties(null);

        assertThat(unset.maxWaitingFor(MIB)).isEqualTo(2);
        assertThat(unset.maxWaitingFor(64 * 1024)).isEqualTo(1);
        assertThat(unset.maxWaitingFor(Long.MAX_VALUE)).isEqualTo(LongPollProperties.MAX_DERIVED);
    }

    @Test
    void aConfiguredBoundIsKeptWhateverTheHeap() {
        assertThat(new LongPollProperties(300).maxWaitingFor(256 * MIB)).isEqualTo(300);
        assertThat(new LongPollProperties(50_000).maxWaitingFor(256 * MIB)).isEqualTo(50_000);
    }

    @Test
    void theStartUpLineSaysWhereTheBoundComesFrom() {
        assertThat(new LongPollProperties(null).sourceOf(247 * MIB)).isEqualTo("1/4 of the 247 MiB heap at 96 KiB per waiter");
        assertThat(new LongPollProperties(300).sourceOf(247 * MIB)).isEqualTo("txlab.orders.long-poll.max-waiting");
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LongPollProperties(0))
                .withMessageContaining("max-waiting must be at least 1");
    }
}
