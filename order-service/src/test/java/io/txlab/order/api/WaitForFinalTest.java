package io.txlab.order.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WaitForFinalTest {

    @Test
    void acceptsSimpleAndIsoDurations() {
        assertThat(WaitForFinal.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(WaitForFinal.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(WaitForFinal.parse("PT2.5S")).isEqualTo(Duration.ofMillis(2500));
        assertThat(WaitForFinal.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(WaitForFinal.parse("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"31s", "1m", "PT30.001S", "-1s"})
    void refusesWaitsOutsideZeroToThirtySeconds(String value) {
        assertThatThrownBy(() -> WaitForFinal.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 30s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 seconds", "", "P1X"})
    void refusesWhatIsNotADuration(String value) {
        assertThatThrownBy(() -> WaitForFinal.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration");
    }
}
