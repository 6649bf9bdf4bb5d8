package io.txlab.order.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.order.OrderLine;
import io.txlab.order.config.ServicesProperties;
import io.txlab.order.order.PriceMismatchException;
import io.txlab.order.order.ReferenceChecks;
import io.txlab.platform.web.UnknownReferenceException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

class CatalogueTest {

    private ReferenceServicesStub stub;
    private Catalogue catalogue;
    /** The checks as OrderService runs them, with their answers from the catalogue. */
    private ReferenceChecks checks;

    @BeforeEach
    void start() {
        stub = ReferenceServicesStub.start();
        catalogue = new Catalogue(new ServicesProperties(URI.create(stub.url()), URI.create(stub.url()),
                Duration.ofSeconds(2)), RestClient.builder());
        checks = new ReferenceChecks(catalogue);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void knownIdsAreAskedOnceAndThenServedFromTheCache() {
        checks.require("C-0001", lines("SKU-0001", "SKU-0002", "SKU-0001"));
        checks.require("C-0001", lines("SKU-0001", "SKU-0002"));

        assertThat(stub.hits("/customers/C-0001")).isEqualTo(1);
        assertThat(stub.hits("/products/SKU-0001")).isEqualTo(1);
        assertThat(stub.hits("/products/SKU-0002")).isEqualTo(1);
    }

    @Test
    void knownIdsStayKnownWhileTheOwnerIsDown() {
        checks.require("C-0001", lines("SKU-0001"));
        stub.down(true);

        checks.require("C-0001", lines("SKU-0001"));
    }

    @Test
    void unknownIdsAreAskedAgainEachTime() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> checks.require("C-0001", lines("SKU-0001", "NOPE-1", "NOPE-2")))
                    .isInstanceOfSatisfying(UnknownReferenceException.class, e -> {
                        assertThat(e.kind()).isEqualTo("sku");
                        assertThat(e.references()).containsExactly("NOPE-1", "NOPE-2");
                    });
        }
        assertThat(stub.hits("/products/NOPE-1")).isEqualTo(2);
    }

    @Test
    void aUnitPriceOtherThanTheCataloguesIsRefusedNamingTheLine() {
        List<OrderLine> lines = List.of(new OrderLine("SKU-0001", 1, new BigDecimal("0.01")),
                new OrderLine("SKU-0002", 2, new BigDecimal("12")));

        assertThatThrownBy(() -> checks.require("C-0001", lines))
                .isInstanceOfSatisfying(PriceMismatchException.class, e -> assertThat(e.mismatches())
                        .containsExactly(new PriceMismatchException.Mismatch("SKU-0001", new BigDecimal("0.01"),
                                new BigDecimal("11.00"))));
    }

    @Test
    void pricesAreCheckedFromTheCacheWhileTheOwnerIsDown() {
        checks.require("C-0001", lines("SKU-0003"));
        stub.down(true);

        assertThatThrownBy(() -> checks.require("C-0001",
                List.of(new OrderLine("SKU-0003", 1, new BigDecimal("99.00")))))
                .isInstanceOf(PriceMismatchException.class);
        assertThat(stub.hits("/products/SKU-0003")).isEqualTo(1);
    }

    @Test
    void anUnknownCustomerIsNamed() {
        assertThatThrownBy(() -> checks.require("C-9999", lines("SKU-0001")))
                .isInstanceOfSatisfying(UnknownReferenceException.class, e -> {
                    assertThat(e.kind()).isEqualTo("customer");
                    assertThat(e.references()).containsExactly("C-9999");
                });
    }

    @Test
    void anInventoryServiceAnswering503IsUnavailable() {
        stub.down(true);

        assertThatThrownBy(() -> checks.require("C-0001", lines("SKU-0001")))
                .isInstanceOfSatisfying(CatalogueUnavailableException.class,
                        e -> assertThat(e.service()).isEqualTo("inventory-service"))
                .hasMessageContaining("503");
    }

    @Test
    void aPaymentServiceThatCannotAnswerLeavesTheCustomerToTheFlowAndIsAskedAgainNextTime() {
        stub.customersDown(true);

        checks.require("C-0002", lines("SKU-0001"));
        checks.require("C-0002", lines("SKU-0001"));

        assertThat(stub.hits("/customers/C-0002")).as("an unchecked customer is not cached as known").isEqualTo(2);
        stub.customersDown(false);
        assertThatThrownBy(() -> checks.require("C-9999", lines("SKU-0001")))
                .isInstanceOf(UnknownReferenceException.class);
    }

    @Test
    void anUnreachableOwnerIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Catalogue unreachable = new Catalogue(new ServicesProperties(URI.create("http://127.0.0.1:" + closedPort),
                URI.create(stub.url()), Duration.ofSeconds(2)), RestClient.builder());

        assertThatThrownBy(() -> new ReferenceChecks(unreachable).require("C-0001", lines("SKU-0001")))
                .isInstanceOfSatisfying(CatalogueUnavailableException.class,
                        e -> assertThat(e.service()).isEqualTo("inventory-service"));
    }

    /** One unit of each SKU at its seed price. */
    private static List<OrderLine> lines(String... skus) {
        return Arrays.stream(skus).map(sku -> new OrderLine(sku, 1, ReferenceServicesStub.price(sku))).toList();
    }
}
