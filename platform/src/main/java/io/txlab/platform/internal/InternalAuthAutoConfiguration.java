package io.txlab.platform.internal;

import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Guards the internal endpoints of every servlet service: writes to the 2PC participants' {@code /twopc/*}, the
 * coordinator's {@code /transactions}, and the participants' own write APIs ({@code POST /payments},
 * {@code /payments/{id}/refund}, {@code POST /reservations}, {@code /reservations/{id}/release}: no flow calls them,
 * and unsigned they let anyone debit a customer or compensate a confirmed order) answer only signed requests.
 * Reads ({@code GET}) stay open.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(InternalProperties.class)
public class InternalAuthAutoConfiguration {

    /** The URL patterns of the internal endpoints. */
    public static final String[] INTERNAL_PATHS = {"/twopc/*", "/transactions", "/transactions/*",
        "/payments", "/payments/*", "/reservations", "/reservations/*"};

    /**
     * The state check before a refund or a release asked for over the write APIs; order-service is asked at
     * {@code txlab.services.order-url} (unset: every such compensation is refused).
     */
    @Bean
    @ConditionalOnMissingBean
    ManualCompensationGuard manualCompensationGuard(ObjectProvider<RestClient.Builder> http, Environment environment) {
        return new ManualCompensationGuard(http.getIfAvailable(RestClient::builder),
                environment.getProperty("txlab.services.order-url", ""),
                environment.getProperty("txlab.services.timeout", Duration.class, Duration.ofSeconds(2)));
    }

    @Bean
    FilterRegistrationBean<SignedRequestFilter> signedRequestFilter(InternalProperties properties) {
        FilterRegistrationBean<SignedRequestFilter> registration =
                new FilterRegistrationBean<>(new SignedRequestFilter(properties, Clock.systemUTC()));
        registration.addUrlPatterns(INTERNAL_PATHS);
        // After the request size limit (HIGHEST_PRECEDENCE + 10), which bounds the body read here.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
