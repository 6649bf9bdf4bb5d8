package io.txlab.loadtests.scenarios;

/** What the workload generator intends an order to end as; the audit and the report compare it with what happened. */
public enum OrderKind {
    /** A C-nnnn customer buying SKU-nnnn items: should be CONFIRMED. */
    SUCCEED,
    /** A BROKE-nn customer (balance 0): should be CANCELLED with INSUFFICIENT_FUNDS. */
    DECLINED,
    /** An order with a SOLDOUT-nn line (stock 0): should be CANCELLED with OUT_OF_STOCK. */
    OUT_OF_STOCK
}
