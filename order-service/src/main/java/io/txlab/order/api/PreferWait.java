package io.txlab.order.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of a {@code Prefer} header (RFC 7240 section 4.3): {@code Prefer: wait=5} asks the
 * server to answer within 5 seconds. Other preferences, and a {@code wait} whose value is not a whole number of
 * seconds, are ignored, as the RFC asks of a server that does not understand one; a wait above
 * {@link WaitForFinal#MAX} is cut to it.
 */
final class PreferWait {

    private PreferWait() {
    }

    /** @param header the {@code Prefer} header's value(s), comma-joined; null when absent */
    static Optional<Duration> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String preference : header.split(",")) {
            String nameValue = preference.split(";", 2)[0].trim();
            int eq = nameValue.indexOf('=');
            if (eq < 0 || !nameValue.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("wait")) {
                continue;
            }
            String value = nameValue.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            long seconds = Long.parseLong(value);
            if (seconds == 0) {
                return Optional.empty();
            }
            Duration wait = Duration.ofSeconds(seconds);
            return Optional.of(wait.compareTo(WaitForFinal.MAX) > 0 ? WaitForFinal.MAX : wait);
        }
        return Optional.empty();
    }
}
