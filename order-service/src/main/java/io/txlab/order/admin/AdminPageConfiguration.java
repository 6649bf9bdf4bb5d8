package io.txlab.order.admin;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** {@code /admin} and {@code /admin/} lead to the operator page, a static file ({@code static/admin/index.html}). */
@Configuration(proxyBeanMethods = false)
class AdminPageConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // keep ?olderThan=… through the redirect
        registry.addRedirectViewController("/admin", "/admin/index.html").setKeepQueryParams(true);
        registry.addRedirectViewController("/admin/", "/admin/index.html").setKeepQueryParams(true);
    }
}
