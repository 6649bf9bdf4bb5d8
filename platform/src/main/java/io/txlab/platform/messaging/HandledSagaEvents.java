package io.txlab.platform.messaging;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Which saga events a class-level {@link KafkaListener} has a handler for: the payload types of its
 * {@link KafkaHandler} methods other than the default one. Every other event it receives would reach the default
 * handler, which ignores it; the saga containers skip those records before they are observed or dispatched
 * (adr/0049), their offsets committed like any other's.
 *
 * <p>Only class-level listeners with a default handler are read this way: a method-level listener, or one without a
 * default handler (where an event nobody handles is an error to report), is left to Spring Kafka as it is.
 */
public final class HandledSagaEvents {

    private final List<Class<?>> payloadTypes;
    private final Map<Class<?>, Boolean> byEventType = new ConcurrentHashMap<>();

    private HandledSagaEvents(List<Class<?>> payloadTypes) {
        this.payloadTypes = List.copyOf(payloadTypes);
    }

    /**
     * @param listenerClass a bean's class (a CGLIB subclass is read as the class it proxies)
     * @return the events it handles, or empty if it is not a class-level listener whose default handler ignores the
     * rest
     */
    public static Optional<HandledSagaEvents> of(Class<?> listenerClass) {
        Class<?> type = ClassUtils.getUserClass(listenerClass);
        if (!AnnotatedElementUtils.hasAnnotation(type, KafkaListener.class)) {
            return Optional.empty();
        }
        List<Class<?>> payloads = new ArrayList<>();
        boolean[] hasDefault = {false};
        ReflectionUtils.doWithMethods(type, method -> {
            KafkaHandler handler = AnnotatedElementUtils.findMergedAnnotation(method, KafkaHandler.class);
            if (handler == null) {
                return;
            }
            if (handler.isDefault()) {
                hasDefault[0] = true;
            } else {
                payloads.addAll(payloadTypes(method));
            }
        });
        return hasDefault[0] ? Optional.of(new HandledSagaEvents(payloads)) : Optional.empty();
    }

    /** True if a handler other than the default one would take an event of this class. */
    public boolean handles(Class<?> eventType) {
        return byEventType.computeIfAbsent(eventType,
                type -> payloadTypes.stream().anyMatch(payload -> ClassUtils.isAssignable(payload, type)));
    }

    /** Parameters that are not headers: the payload a handler is chosen by. */
    private static List<Class<?>> payloadTypes(Method method) {
        List<Class<?>> types = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            if (!parameter.isAnnotationPresent(Header.class) && !parameter.isAnnotationPresent(Headers.class)) {
                types.add(parameter.getType());
            }
        }
        return types;
    }
}
