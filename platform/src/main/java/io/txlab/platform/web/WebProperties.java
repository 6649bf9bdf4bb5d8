package io.txlab.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Web settings shared by the services.
 *
 * @param maxBodyBytes request bodies above this size are refused with 413 (an order of 100 lines is ~10 KB)
 */
@ConfigurationProperties("txlab.web")
public record WebProperties(@DefaultValue("65536") long maxBodyBytes) {
}
