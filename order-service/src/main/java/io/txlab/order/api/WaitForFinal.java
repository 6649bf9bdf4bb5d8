package io.txlab.order.api;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/** Parses the {@code waitForFinal} query parameter: {@code 500ms}, {@code 5s}, {@code 1m} or ISO-8601 {@code PT5S}. */
final class WaitForFinal {

    static final Duration MAX = Duration.ofSeconds(30);

    private WaitForFinal() {
    }

    /** @throws IllegalArgumentException with a message fit for a 400 problem */
    static Duration parse(String value) {
        Duration wait;
        try {
            wait = DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("waitForFinal '" + value
                    + "' is not a duration; use e.g. 500ms, 5s or PT5S");
        }
        if (wait.isNegative() || wait.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("waitForFinal must be between 0 and " + MAX.toSeconds()
                    + "s, got '" + value + "'");
        }
        return wait;
    }
}
