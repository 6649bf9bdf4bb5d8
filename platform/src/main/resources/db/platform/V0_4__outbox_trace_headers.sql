-- The trace context of the transaction that wrote an outbox row (W3C traceparent and baggage as a JSON object, see
-- io.txlab.platform.tracing.OutboxTraceContext), so the relay's Kafka send continues the order's trace. Null for rows
-- written without a current span. Debezium's publication has no column list, so the column reaches the CDC stream;
-- the EventRouter places it in a header of the routed record.
ALTER TABLE outbox ADD COLUMN trace_headers text;
