package io.txlab.loadtests.audit;

/**
 * The initial stock and balances as the seed migrations define them, for schemas that do not keep an
 * {@code initial_stock} / {@code initial_balance} column: SKU-nnnn 1,000,000, SOLDOUT-nn 0, HOT-01 100;
 * C-nnnn 1,000,000.00, BROKE-nn 0.00. Anything else counts as 0, which makes its stock or money show up as a gap.
 */
final class SeedDefinition {

    static final String INITIAL_STOCK_SQL =
            "CASE WHEN p.sku LIKE 'SKU-%' THEN 1000000 WHEN p.sku = 'HOT-01' THEN 100 ELSE 0 END";
    static final String INITIAL_BALANCE_SQL =
            "CASE WHEN a.customer_id LIKE 'C-%' THEN 1000000.00 ELSE 0.00 END";

    private SeedDefinition() {
    }
}
