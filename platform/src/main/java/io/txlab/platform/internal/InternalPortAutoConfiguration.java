package io.txlab.platform.internal;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * {@code txlab.internal.port} set: the participant protocol gets a Tomcat connector of its own, on the same address as
 * the API ({@code server.address}), and {@link InternalPortFilter} keeps each port to its own paths (ADR 24).
 */
@AutoConfiguration(before = InternalAuthAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(TomcatServletWebServerFactory.class)
@ConditionalOnProperty("txlab.internal.port")
@EnableConfigurationProperties(InternalProperties.class)
public class InternalPortAutoConfiguration {

    @Bean
    InternalPort internalPort(InternalProperties properties, Environment environment) {
        if (properties.port() == null) {
            throw new IllegalStateException("txlab.internal.port is set but empty: give it a port, 0 for any free one, "
                    + "or leave it unset to serve the 2PC participant protocol on the API port");
        }
        Connector connector = new Connector();
        connector.setPort(properties.port());
        String address = environment.getProperty("server.address");
        if (address != null && !address.isBlank()) {
            connector.setProperty("address", address);
        }
        return new InternalPort(connector);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> internalConnector(InternalPort port) {
        return factory -> factory.addAdditionalConnectors(port.connector());
    }

    @Bean
    FilterRegistrationBean<InternalPortFilter> internalPortFilter(InternalPort port) {
        FilterRegistrationBean<InternalPortFilter> registration = new FilterRegistrationBean<>(new InternalPortFilter(port));
        registration.addUrlPatterns("/*");
        // Before the request size limit (HIGHEST_PRECEDENCE + 10) and the signature check (+ 20): a path on the wrong
        // port is not read at all.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
