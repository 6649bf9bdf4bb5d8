package io.txlab.order.order;

import io.txlab.contracts.order.OrderLine;
import io.txlab.platform.web.UnknownReferenceException;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks every flow makes before anything of an order is written, in one order and with one answer each: the
 * customer exists (else 422 {@code unknown-customer}), every SKU exists (else 422 {@code unknown-sku} naming each),
 * every unit price is the catalogue's (else 422 {@code price-mismatch}). Where the answers come from is the flow's
 * business ({@link Source}): the owning services for the four flows over order-service's database, the flow's own
 * tables for {@code cockroach}.
 *
 * <p>Positive answers are cached for the life of the process: customers and products are never deleted and no API
 * changes a price, so the hot path costs no look-up (a deployment that adds price changes must give this cache a
 * lifetime). Unknown ids are not cached, so one created later is accepted without a restart.
 */
public final class ReferenceChecks {

    /** Where the answers come from. */
    public interface Source {

        /** Whether the customer exists; {@link CustomerAnswer#NOT_ANSWERED} leaves it to the flow's payment step. */
        CustomerAnswer customer(String customerId);

        /** The SKU's catalogue price, or null if the SKU is unknown. */
        BigDecimal price(String sku);
    }

    public enum CustomerAnswer { EXISTS, UNKNOWN, NOT_ANSWERED }

    /** Bounds memory if someone feeds millions of distinct real ids; past it, look-ups simply are not cached. */
    static final int MAX_CACHED_IDS = 100_000;

    private final Source source;
    private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>();
    private final Set<String> knownCustomers = ConcurrentHashMap.newKeySet();

    public ReferenceChecks(Source source) {
        this.source = source;
    }

    /**
     * @throws UnknownReferenceException naming the unknown customer, or else every unknown SKU
     * @throws PriceMismatchException    naming every line whose unit price is not the catalogue's
     */
    public void require(String customerId, List<OrderLine> lines) {
        if (!knownCustomers.contains(customerId)) {
            CustomerAnswer answer = source.customer(customerId);
            if (answer == CustomerAnswer.UNKNOWN) {
                throw new UnknownReferenceException("customer", List.of(customerId));
            }
            if (answer == CustomerAnswer.EXISTS && knownCustomers.size() < MAX_CACHED_IDS) {
                knownCustomers.add(customerId);
            }
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (OrderLine line : lines) {
            if (price(line.sku()) == null) {
                unknown.add(line.sku());
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownReferenceException("sku", List.copyOf(unknown));
        }
        PriceMismatchException.requireCataloguePrices(lines, prices::get);
    }

    private BigDecimal price(String sku) {
        BigDecimal cached = prices.get(sku);
        if (cached != null) {
            return cached;
        }
        BigDecimal price = source.price(sku);
        if (price != null && prices.size() < MAX_CACHED_IDS) {
            prices.put(sku, price);
        }
        return price;
    }
}
