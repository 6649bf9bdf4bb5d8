package io.txlab.contracts.twopc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GidTest {

    @Test
    void randomGidsAreValidAndShort() {
        String gid = Gid.random();
        assertThat(Gid.isValid(gid)).isTrue();
        assertThat(Gid.branchGid(gid, "inventory").getBytes()).hasSizeLessThan(200);
        assertThat(Gid.globalOf(Gid.branchGid(gid, "inventory"))).isEqualTo(gid);
    }

    @Test
    void anythingThatCouldBreakOutOfTheSqlLiteralIsRejected() {
        assertThat(Gid.isValid("txlab_00000000-0000-0000-0000-00000000000'")).isFalse();
        assertThat(Gid.isValid("txlab_00000000-0000-0000-0000-000000000000 ")).isFalse();
        assertThat(Gid.isValid("TXLAB_00000000-0000-0000-0000-000000000000")).isFalse();
        assertThat(Gid.globalOf("someone_else")).isNull();
        assertThatThrownBy(() -> Gid.branchGid(Gid.random(), "Inventory")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gid.branchGid(Gid.random(), "a'b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrdersGidIsDerivedFromItsIdAndBack() {
        java.util.UUID orderId = java.util.UUID.fromString("3F1C2A9E-8D4B-4C1E-9A57-0B6F4F1E2D3C");
        String gid = Gid.of(orderId);
        assertThat(gid).isEqualTo("txlab_3f1c2a9e-8d4b-4c1e-9a57-0b6f4f1e2d3c");
        assertThat(Gid.isValid(gid)).isTrue();
        assertThat(Gid.uuidOf(gid)).isEqualTo(orderId);
        assertThatThrownBy(() -> Gid.uuidOf("txlab_nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
