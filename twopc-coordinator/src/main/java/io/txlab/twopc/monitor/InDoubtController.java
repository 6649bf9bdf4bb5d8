package io.txlab.twopc.monitor;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InDoubtController {

    private final InDoubtMonitor monitor;

    public InDoubtController(InDoubtMonitor monitor) {
        this.monitor = monitor;
    }

    /** Prepared transactions in every participant database, oldest first, with the coordinator's decision. */
    @GetMapping("/twopc/in-doubt")
    public InDoubtReport inDoubt() {
        return monitor.refresh();
    }
}
