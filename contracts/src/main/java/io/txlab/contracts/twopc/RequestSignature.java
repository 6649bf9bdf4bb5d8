package io.txlab.contracts.twopc;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of one internal request: HMAC-SHA256 under the shared secret over its timestamp, method, path (with
 * query) and the SHA-256 of its body, so neither the target, the operation nor the body can be changed without the
 * secret. Sent as {@value #TIMESTAMP_HEADER} (epoch seconds) and {@value #SIGNATURE_HEADER} (lowercase hex).
 */
public final class RequestSignature {

    public static final String TIMESTAMP_HEADER = "X-Txlab-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Txlab-Signature";

    private final SecretKeySpec key;

    public RequestSignature(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no secret to sign with (txlab.internal.secret)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The signature of a request made at {@code epochSeconds}. */
    public String sign(long epochSeconds, String method, String pathAndQuery, byte[] body) {
        String canonical = epochSeconds + "\n" + method.toUpperCase() + "\n" + pathAndQuery + "\n"
                + HexFormat.of().formatHex(sha256(body));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Both headers for a request made now. */
    public Map<String, String> headers(String method, String pathAndQuery, byte[] body) {
        long now = System.currentTimeMillis() / 1000;
        return Map.of(TIMESTAMP_HEADER, Long.toString(now), SIGNATURE_HEADER, sign(now, method, pathAndQuery, body));
    }

    /**
     * Null if the request is signed by the secret within {@code maxSkew} of {@code now}, else why not (for the
     * 401 detail; never reveals the expected signature).
     */
    public String verify(String timestamp, String signature, String method, String pathAndQuery, byte[] body,
                         Instant now, Duration maxSkew) {
        if (timestamp == null || signature == null) {
            return "missing " + TIMESTAMP_HEADER + " or " + SIGNATURE_HEADER;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return TIMESTAMP_HEADER + " is not epoch seconds";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > maxSkew.toSeconds()) {
            return TIMESTAMP_HEADER + " is more than " + maxSkew + " away from this service's clock";
        }
        byte[] expected = sign(seconds, method, pathAndQuery, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? null : "the signature does not match";
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
