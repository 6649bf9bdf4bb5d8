package io.txlab.loadtests.config;

/**
 * Shares of the three order kinds in a run, in percent. Declined orders come from the BROKE customers (balance 0),
 * out-of-stock orders carry a SOLDOUT SKU (stock 0); every other order should be confirmed.
 */
public record WorkloadMix(int succeed, int declined, int outOfStock) {

    public static final WorkloadMix DEFAULT = new WorkloadMix(85, 10, 5);

    public WorkloadMix {
        if (succeed < 0 || declined < 0 || outOfStock < 0 || succeed + declined + outOfStock != 100) {
            throw new IllegalArgumentException("workload mix must be three non-negative percentages adding up to 100, got "
                    + succeed + "," + declined + "," + outOfStock);
        }
    }

    /** Parses {@code "85,10,5"} (succeed, declined for funds, out of stock). */
    public static WorkloadMix parse(String text) {
        String[] parts = text.trim().split("\\s*[,/:]\\s*");
        if (parts.length != 3) {
            throw new IllegalArgumentException("workload mix must look like 85,10,5 (succeed,declined,outOfStock), got '" + text + "'");
        }
        try {
            return new WorkloadMix(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("workload mix must be integers, got '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return succeed + "," + declined + "," + outOfStock;
    }
}
