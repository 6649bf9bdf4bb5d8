package io.txlab.platform.messaging;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dead-letter admin, registered only with {@code txlab.choreography.dlt-admin.enabled=true}: it reads and
 * republishes messages, so it is an operator's tool, not part of the public API.
 * {@code GET /admin/dlt/order.events} lists the dead letters of {@code order.events};
 * {@code POST /admin/dlt/order.events/replay} republishes the ones not replayed yet.
 */
@RestController
@RequestMapping("/admin/dlt")
public class DeadLetterAdminController {

    private final DeadLetters deadLetters;

    public DeadLetterAdminController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/{topic}")
    public List<DeadLetters.DeadLetter> list(@PathVariable String topic) {
        return deadLetters.list(topic);
    }

    @PostMapping("/{topic}/replay")
    public Map<String, Object> replay(@PathVariable String topic) {
        return Map.of("topic", topic, "replayed", deadLetters.replay(topic));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail unknownTopic(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
