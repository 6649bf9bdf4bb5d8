package io.txlab.platform.tracing;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Tags every span started while the {@value OrderTracing#BAGGAGE} baggage is in its parent context with that order
 * id, in whatever service and however the span was started (Micrometer observations, Temporal's interceptors through
 * the OpenTracing shim), so Zipkin finds an order's spans by the tag. Boot's {@code tag-fields} would only tag the
 * span current where the baggage is set.
 */
public class OrderIdSpanTagger implements SpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String orderId = Baggage.fromContext(parentContext).getEntryValue(OrderTracing.BAGGAGE);
        if (orderId != null) {
            span.setAttribute(OrderTracing.BAGGAGE, orderId);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
