package io.txlab.order.catalogue;

import io.txlab.order.config.ServicesProperties;
import io.txlab.platform.web.ServiceHttpClients;
import io.txlab.platform.web.UnknownReferenceException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Checks that the customer and SKUs of an order exist, asking their owners: inventory-service
 * ({@code GET /products/{sku}}) and payment-service ({@code GET /customers/{id}}).
 *
 * <p>Known ids are cached for the life of the process: products and customers are never deleted, so a positive
 * answer stays true and the hot path costs no network call. Unknown ids are not cached, so one created later is
 * accepted without a restart.
 */
@Component
public class Catalogue {

    /** Bounds memory if someone feeds millions of distinct real ids; past it, look-ups simply are not cached. */
    static final int MAX_CACHED_IDS = 100_000;

    private final RestClient inventory;
    private final RestClient payment;
    private final Set<String> knownSkus = ConcurrentHashMap.newKeySet();
    private final Set<String> knownCustomers = ConcurrentHashMap.newKeySet();

    public Catalogue(ServicesProperties services, RestClient.Builder http) {
        this.inventory = client(http, services.inventoryUrl(), services.timeout());
        this.payment = client(http, services.paymentUrl(), services.timeout());
    }

    /**
     * @throws UnknownReferenceException    naming the unknown customer, or else every unknown SKU
     * @throws CatalogueUnavailableException if an owning service could not answer
     */
    public void requireKnown(String customerId, Collection<String> skus) {
        if (!known(knownCustomers, payment, "payment-service", "/customers/{id}", customerId)) {
            throw new UnknownReferenceException("customer", List.of(customerId));
        }
        List<String> unknown = new ArrayList<>();
        for (String sku : new LinkedHashSet<>(skus)) {
            if (!known(knownSkus, inventory, "inventory-service", "/products/{sku}", sku)) {
                unknown.add(sku);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownReferenceException("sku", unknown);
        }
    }

    private static boolean known(Set<String> cache, RestClient client, String service, String path, String id) {
        if (cache.contains(id)) {
            return true;
        }
        boolean exists = exists(client, service, path, id);
        if (exists && cache.size() < MAX_CACHED_IDS) {
            cache.add(id);
        }
        return exists;
    }

    private static boolean exists(RestClient client, String service, String path, String id) {
        try {
            return client.get().uri(path, id).exchange((request, response) -> {
                int status = response.getStatusCode().value();
                if (status >= 200 && status < 300) {
                    return true;
                }
                if (status == 404) {
                    return false;
                }
                throw new CatalogueUnavailableException(service,
                        "GET " + request.getURI().getPath() + " answered " + status, null);
            });
        } catch (ResourceAccessException e) {
            throw new CatalogueUnavailableException(service, String.valueOf(e.getMessage()), e);
        }
    }

    /** From Boot's builder (a copy per client), which carries the client observation: spans and traceparent. */
    private static RestClient client(RestClient.Builder builder, URI baseUrl, Duration timeout) {
        return builder.clone().baseUrl(baseUrl.toString())
                .requestFactory(ServiceHttpClients.requestFactory(timeout, timeout)).build();
    }
}
