package io.txlab.platform.idempotency;

/** The same idempotency key arrived with a different request body: the client reused a key by mistake (422). */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String scope, String key) {
        super("Idempotency-Key '" + key + "' was already used for a different " + scope
                + " request; use a new key for a new request");
    }
}
