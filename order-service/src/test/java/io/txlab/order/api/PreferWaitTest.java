package io.txlab.order.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreferWaitTest {

    @Test
    void readsTheWaitPreferenceAmongOthers() {
        assertThat(PreferWait.parse("wait=5")).contains(Duration.ofSeconds(5));
        assertThat(PreferWait.parse("respond-async, WAIT = 10")).contains(Duration.ofSeconds(10));
        assertThat(PreferWait.parse("return=minimal,wait=\"3\";foo=bar")).contains(Duration.ofSeconds(3));
    }

    @Test
    void cutsALongWaitToThirtySeconds() {
        assertThat(PreferWait.parse("wait=3600")).contains(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "respond-async", "wait", "wait=", "wait=0", "wait=5s", "wait=-1", "wait=1.5",
            "wait=99999999999", "waiting=5", "handling=lenient"})
    void ignoresWhatIsNotAWholeNumberOfSeconds(String header) {
        assertThat(PreferWait.parse(header)).isEmpty();
    }
}
