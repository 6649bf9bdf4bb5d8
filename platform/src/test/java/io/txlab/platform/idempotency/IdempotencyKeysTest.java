package io.txlab.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    @Test
    void fingerprintIsStableAndSensitiveToEveryCharacter() {
        String a = IdempotencyKeys.fingerprint("{\"sku\":\"SKU-0001\",\"quantity\":1}");
        assertThat(a).hasSize(64).isEqualTo(IdempotencyKeys.fingerprint("{\"sku\":\"SKU-0001\",\"quantity\":1}"));
        assertThat(a).isNotEqualTo(IdempotencyKeys.fingerprint("{\"sku\":\"SKU-0001\",\"quantity\":2}"));
    }
}
