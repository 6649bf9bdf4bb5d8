package io.txlab.order.cockroach;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CockroachDatabaseTest {

    @Test
    void aPasswordInTheUrlIsNeverShown() {
        assertThat(CockroachDatabase.redacted(
                "jdbc:postgresql://db:26257/txlab?sslmode=verify-full&user=txlab&password=s3cr3t&ApplicationName=x"))
                .isEqualTo("jdbc:postgresql://db:26257/txlab?sslmode=verify-full&user=txlab&password=***"
                        + "&ApplicationName=x");
        assertThat(CockroachDatabase.redacted("jdbc:postgresql://db:26257/txlab?PASSWORD=s3cr3t"))
                .doesNotContain("s3cr3t");
        assertThat(CockroachDatabase.redacted("jdbc:postgresql://127.0.0.1:15435/txlab"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:15435/txlab");
    }
}
