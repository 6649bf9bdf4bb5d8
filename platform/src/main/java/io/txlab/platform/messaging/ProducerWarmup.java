package io.txlab.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Creates the Kafka producer and loads the saga topics' metadata while the service starts, before it reports ready
 * (application runners run before {@code ApplicationReadyEvent}, i.e. before readiness says ACCEPTING_TRAFFIC).
 *
 * <p>Without it the first sends after a (re)start create the producer and fetch the metadata on request threads,
 * under whatever load has queued up meanwhile; a fetch slower than {@code max.block.ms} (3 s here) fails the send.
 * For the direct publisher that is a lost event caused by startup, not by the commit-to-send window the
 * {@code choreography} flow is measured for: the comparison's order-service kill lost three orders that way before
 * this warm-up existed. If Kafka stays unreachable for the whole retry budget the service starts anyway (its sends
 * fail and are counted as before) and says so.
 */
public class ProducerWarmup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ProducerWarmup.class);

    private final KafkaTemplate<Object, Object> kafka;
    private final List<String> topics;
    private final RetryTemplate retry;

    public ProducerWarmup(KafkaTemplate<Object, Object> kafka, List<String> topics, RetryPolicy policy) {
        this.kafka = kafka;
        this.topics = List.copyOf(topics);
        this.retry = new RetryTemplate(policy);
    }

    /** Up to ~30 s in all: 10 retries, 0.5 s apart growing to 3 s, each attempt bounded by {@code max.block.ms}. */
    public static RetryPolicy defaultPolicy() {
        return RetryPolicy.builder().maxRetries(10).delay(Duration.ofMillis(500)).multiplier(1.5)
                .maxDelay(Duration.ofSeconds(3)).build();
    }

    @Override
    public void run(ApplicationArguments args) {
        warm();
    }

    /** @return the topics whose metadata the producer now has (all of them, unless the retry budget ran out) */
    public List<String> warm() {
        long started = System.nanoTime();
        List<String> ready = new ArrayList<>();
        try {
            // One budget for all topics; a retry skips the topics already loaded.
            retry.execute(() -> {
                for (String topic : topics) {
                    if (!ready.contains(topic)) {
                        kafka.partitionsFor(topic);
                        ready.add(topic);
                    }
                }
                return ready;
            });
            log.info("Kafka producer ready for {} in {} ms", ready, (System.nanoTime() - started) / 1_000_000);
        } catch (RetryException e) {
            log.warn("Kafka producer not ready for all of {} after {} attempts ({}); starting anyway with {}, sends "
                    + "may fail", topics, e.getRetryCount() + 1, String.valueOf(e.getLastException()), ready);
        }
        return List.copyOf(ready);
    }
}
