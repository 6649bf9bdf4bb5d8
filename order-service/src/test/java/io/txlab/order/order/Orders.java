package io.txlab.order.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** Fixtures: commands and keys for placing orders. */
public final class Orders {

    private Orders() {
    }

    /** Two SKU-0001 at 11.00 (its catalogue price) for C-0001, driven by the test build's choreography launcher. */
    public static PlaceOrder choreography() {
        return new PlaceOrder("C-0001", Flow.CHOREOGRAPHY,
                List.of(new OrderLine("SKU-0001", 2, new BigDecimal("11.00"))));
    }

    public static String newKey() {
        return "test-" + UUID.randomUUID();
    }
}
