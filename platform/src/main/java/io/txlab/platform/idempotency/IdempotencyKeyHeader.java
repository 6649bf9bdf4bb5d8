package io.txlab.platform.idempotency;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The {@code Idempotency-Key} request header every mutating endpoint requires. */
public final class IdempotencyKeyHeader {

    public static final String NAME = "Idempotency-Key";
    private static final int MAX_LENGTH = 200;

    private IdempotencyKeyHeader() {
    }

    /**
     * Returns the key if usable. A missing header is already refused by Spring MVC (400); this refuses an empty,
     * overlong or control-character key, which would make a poor database key and a confusing log line.
     */
    public static String require(String key) {
        boolean printable = key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
        if (key.isEmpty() || key.length() > MAX_LENGTH || !printable) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    NAME + " must be 1 to " + MAX_LENGTH + " visible ASCII characters (a UUID is a good choice)");
        }
        return key;
    }
}
