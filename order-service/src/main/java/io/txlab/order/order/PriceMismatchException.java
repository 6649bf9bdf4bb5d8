package io.txlab.order.order;

import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An order line states a unit price other than the catalogue's. Prices come from the catalogue, never from the
 * client: the line's {@code unitPrice} is what the customer saw and agreed to pay, and an order whose price is not the
 * catalogue's is refused (422, nothing written) so that the client shows the customer the real price instead of
 * charging a different one.
 */
public class PriceMismatchException extends RuntimeException {

    /** One line's offered price against the catalogue's. */
    public record Mismatch(String sku, BigDecimal offered, BigDecimal catalogue) {
    }

    private final List<Mismatch> mismatches;

    public PriceMismatchException(List<Mismatch> mismatches) {
        super(describe(mismatches));
        this.mismatches = List.copyOf(mismatches);
    }

    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /**
     * Compares each line's price with {@code cataloguePrice} of its SKU (numerically: 11 equals 11.00); a SKU without a
     * price (unknown) is left to the check that refuses unknown SKUs.
     *
     * @throws PriceMismatchException naming every line whose price differs
     */
    public static void requireCataloguePrices(List<OrderLine> lines, Function<String, BigDecimal> cataloguePrice) {
        List<Mismatch> mismatches = new ArrayList<>();
        for (OrderLine line : lines) {
            BigDecimal price = cataloguePrice.apply(line.sku());
            if (price != null && price.compareTo(line.unitPrice()) != 0) {
                mismatches.add(new Mismatch(line.sku(), line.unitPrice(), price));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new PriceMismatchException(mismatches);
        }
    }

    private static String describe(List<Mismatch> mismatches) {
        StringBuilder detail = new StringBuilder("unit price differs from the catalogue for ");
        for (int i = 0; i < mismatches.size(); i++) {
            Mismatch m = mismatches.get(i);
            detail.append(i == 0 ? "" : ", ").append(m.sku()).append(" (offered ").append(m.offered().toPlainString())
                    .append(", catalogue ").append(m.catalogue().toPlainString()).append(')');
        }
        return detail.toString();
    }
}
