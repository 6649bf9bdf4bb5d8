package io.txlab.contracts.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

    private static final Duration SKEW = Duration.ofMinutes(5);
    private final RequestSignature signature = new RequestSignature("a-shared-secret-of-some-length");
    private final Instant now = Instant.ofEpochSecond(1_800_000_000L);
    private final byte[] body = "{\"orderId\":\"o\",\"amount\":25.00}".getBytes(StandardCharsets.UTF_8);
    private final String signed = signature.sign(now.getEpochSecond(), "POST", "/twopc/txlab_o/prepare", body);

    @Test
    void aRequestSignedWithTheSecretVerifies() {
        assertThat(verify(signature, "POST", "/twopc/txlab_o/prepare", body, now.plusSeconds(2))).isNull();
    }

    @Test
    void anythingChangedOrSignedOtherwiseIsRefused() {
        assertThat(verify(new RequestSignature("another-secret-of-some-length"), "POST", "/twopc/txlab_o/prepare",
                body, now)).isEqualTo("the signature does not match");
        assertThat(verify(signature, "POST", "/twopc/txlab_o/commit", body, now)).isNotNull();
        assertThat(verify(signature, "POST", "/twopc/txlab_o/prepare",
                "{\"orderId\":\"o\",\"amount\":0.01}".getBytes(StandardCharsets.UTF_8), now)).isNotNull();
        assertThat(verify(signature, "GET", "/twopc/txlab_o/prepare", body, now)).isNotNull();
        assertThat(verify(signature, "POST", "/twopc/txlab_o/prepare", body, now.plus(SKEW).plusSeconds(1)))
                .contains("away from this service's clock");
        assertThat(signature.verify(null, signed, "POST", "/twopc/txlab_o/prepare", body, now, SKEW))
                .startsWith("missing");
        assertThat(signature.verify("yesterday", signed, "POST", "/twopc/txlab_o/prepare", body, now, SKEW))
                .contains("epoch seconds");
    }

    private String verify(RequestSignature by, String method, String path, byte[] content, Instant at) {
        return by.verify(Long.toString(now.getEpochSecond()), signed, method, path, content, at, SKEW);
    }
}
