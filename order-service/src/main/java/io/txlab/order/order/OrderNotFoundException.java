package io.txlab.order.order;

import java.util.UUID;

/** No order has this id. */
public class OrderNotFoundException extends RuntimeException {

    public OrderNotFoundException(UUID id) {
        super("order " + id + " does not exist");
    }
}
