package io.txlab.order.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.txlab.order.OrderServiceTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The metric table of this module's README ("Observability") covers what order-service registers, under the
 * Prometheus names the table gives. The service's meters are copied (names, tags, units, histograms) into a Prometheus registry
 * and scraped, so the series names are exactly those {@code /actuator/prometheus} exposes.
 */
class OrderMetricsDocumentedIT extends OrderServiceTestContext {

    private static final Pattern ROW = Pattern.compile("^\\| `(txlab\\.[a-z_.]+)` \\| (.+?) \\|.*\\| ([^|]+) \\|$");
    private static final Pattern SERIES = Pattern.compile("`(txlab_[a-z_]+)`");

    @Autowired
    MeterRegistry meters;

    @Test
    void everyDocumentedOrderServiceMetricIsRegisteredUnderItsDocumentedPrometheusNames() throws IOException {
        Set<String> documentedNames = new TreeSet<>();
        Set<String> documentedSeries = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches() && row.group(3).contains("order-service")) {
                documentedNames.add(row.group(1));
                Matcher series = SERIES.matcher(row.group(2));
                while (series.find()) {
                    documentedSeries.add(series.group(1));
                }
            }
        }
        assertThat(documentedNames).as("order-service rows of the README's metric table").hasSizeGreaterThan(5);

        Set<String> registered = new TreeSet<>();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Meter meter : meters.getMeters()) {
            if (meter.getId().getName().startsWith("txlab.")) {
                registered.add(meter.getId().getName());
                copy(meter, prometheus);
            }
        }
        Set<String> scraped = new TreeSet<>();
        for (String line : prometheus.scrape().split("\n")) {
            if (line.startsWith("txlab_")) {
                scraped.add(line.split("[{ ]", 2)[0]);
            }
        }

        // Nothing undocumented is registered; some documented meters appear only with their first event (a
        // serialization retry), so the order lifecycle meters, registered at start, are checked in full.
        assertThat(documentedNames).containsAll(registered);
        assertThat(documentedSeries).containsAll(scraped);
        assertThat(registered).contains(OrderMetrics.STARTED, OrderMetrics.FINISHED, OrderMetrics.TIME_TO_FINAL,
                NotFinalOrders.NOT_FINAL);
        assertThat(scraped).containsAll(documentedSeries.stream().filter(name -> name.startsWith("txlab_orders_"))
                .toList());
    }

    private static void copy(Meter meter, MeterRegistry target) {
        Meter.Id id = meter.getId();
        if (meter instanceof Counter) {
            Counter.builder(id.getName()).tags(id.getTags()).baseUnit(id.getBaseUnit()).register(target);
        } else if (meter instanceof Gauge) {
            Gauge.builder(id.getName(), () -> 0).tags(id.getTags()).baseUnit(id.getBaseUnit()).register(target);
        } else if (meter instanceof Timer timer) {
            Timer.builder(id.getName()).tags(id.getTags())
                    .publishPercentileHistogram(timer.takeSnapshot().histogramCounts().length > 0)
                    .register(target);
        } else if (meter instanceof DistributionSummary summary) {
            DistributionSummary.builder(id.getName()).tags(id.getTags()).baseUnit(id.getBaseUnit())
                    .publishPercentileHistogram(summary.takeSnapshot().histogramCounts().length > 0)
                    .register(target);
        } else {
            throw new AssertionError("no copy for meter type " + meter.getClass() + " of " + id);
        }
    }
}
