package io.txlab.order.catalogue;

import io.txlab.contracts.order.OrderLine;
import io.txlab.order.config.ServicesProperties;
import io.txlab.order.order.PriceMismatchException;
import io.txlab.order.order.ReferenceChecks;
import io.txlab.platform.web.ServiceHttpClients;
import io.txlab.platform.web.UnknownReferenceException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Checks that the customer and SKUs of an order exist and that each line's unit price is the catalogue's, asking
 * their owners: inventory-service ({@code GET /products/{sku}}, which carries the price) and payment-service
 * ({@code GET /customers/{id}}).
 *
 * <p>The checks themselves, their order and their caching are {@link ReferenceChecks} (run by
 * {@link io.txlab.order.order.OrderService#place}), shared with the cockroach flow; this class is where the answers
 * come from. {@link #price} throws {@link CatalogueUnavailableException} when inventory-service cannot answer.
 *
 * <p>Availability: when payment-service cannot answer, the customer is not checked here and the order goes on - every
 * flow checks it again where the money is (payment-service's authorization, or its 2PC branch), which cancels an
 * order of an unknown customer. So a payment outage does not refuse new orders; the sagas finish them once it is
 * back. The SKUs and prices have no such second check before stock is taken, so an unanswered inventory-service still
 * refuses the order (503).
 */
@Component
public class Catalogue implements ReferenceChecks.Source {

    private static final Logger log = LoggerFactory.getLogger(Catalogue.class);

    private final RestClient inventory;
    private final RestClient payment;
    public Catalogue(ServicesProperties services, RestClient.Builder http) {
        this.inventory = client(http, services.inventoryUrl(), services.timeout());
        this.payment = client(http, services.paymentUrl(), services.timeout());
    }

    @Override
    public ReferenceChecks.CustomerAnswer customer(String customerId) {
        try {
            return look(payment, "payment-service", "/customers/{id}", customerId, Customer.class) == null
                    ? ReferenceChecks.CustomerAnswer.UNKNOWN : ReferenceChecks.CustomerAnswer.EXISTS;
        } catch (CatalogueUnavailableException e) {
            log.debug("customer {} not checked, payment-service did not answer: {}", customerId, e.getMessage());
            return ReferenceChecks.CustomerAnswer.NOT_ANSWERED;
        }
    }

    @Override
    public BigDecimal price(String sku) {
        Product product = look(inventory, "inventory-service", "/products/{sku}", sku, Product.class);
        if (product == null) {
            return null;
        }
        if (product.price() == null) {
            throw new CatalogueUnavailableException("inventory-service", "GET /products/" + sku + " has no price", null);
        }
        return product.price();
    }

    /** The owner's record of {@code id}, or null if it answers 404. */
    private static <T> T look(RestClient client, String service, String path, String id, Class<T> type) {
        try {
            return client.get().uri(path, id).exchange((request, response) -> {
                int status = response.getStatusCode().value();
                if (status >= 200 && status < 300) {
                    T body = response.bodyTo(type);
                    if (body == null) {
                        throw new CatalogueUnavailableException(service,
                                "GET " + request.getURI().getPath() + " answered " + status + " without a body", null);
                    }
                    return body;
                }
                if (status == 404) {
                    return null;
                }
                throw new CatalogueUnavailableException(service,
                        "GET " + request.getURI().getPath() + " answered " + status, null);
            });
        } catch (ResourceAccessException e) {
            throw new CatalogueUnavailableException(service, String.valueOf(e.getMessage()), e);
        }
    }

    /** The part of inventory-service's {@code ProductResponse} this check reads. */
    private record Product(String sku, BigDecimal price) {
    }

    /** payment-service's customer record; only its existence matters here. */
    private record Customer(String customerId) {
    }



    /** From Boot's builder (a copy per client), which carries the client observation: spans and traceparent. */
    private static RestClient client(RestClient.Builder builder, URI baseUrl, Duration timeout) {
        return builder.clone().baseUrl(baseUrl.toString())
                .requestFactory(ServiceHttpClients.requestFactory(timeout, timeout)).build();
    }
}
