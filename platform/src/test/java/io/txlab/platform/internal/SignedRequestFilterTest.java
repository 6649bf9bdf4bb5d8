package io.txlab.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.twopc.RequestSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class SignedRequestFilterTest {

    private static final String NEW = "the-new-internal-secret";
    private static final String OLD = "the-old-internal-secret";
    private static final String PATH = "/twopc/txlab_1/commit";

    @Test
    void duringARotationRequestsSignedWithEitherSecretPassAndOthersAre401() throws Exception {
        SignedRequestFilter filter = filter(new InternalProperties(NEW, OLD, Duration.ofMinutes(5), null));

        assertThat(run(filter, new RequestSignature(NEW).headers("POST", PATH, body())).getStatus()).isEqualTo(200);
        assertThat(run(filter, new RequestSignature(OLD).headers("POST", PATH, body())).getStatus()).isEqualTo(200);
        MockHttpServletResponse forged = run(filter,
                new RequestSignature("somebody-elses-secret").headers("POST", PATH, body()));
        assertThat(forged.getStatus()).isEqualTo(401);
        assertThat(forged.getContentType()).isEqualTo("application/problem+json");
        assertThat(forged.getContentAsString()).contains("internal-request-unauthenticated");
    }

    @Test
    void withoutASecretEveryInternalRequestIsRefused() throws Exception {
        SignedRequestFilter filter = filter(new InternalProperties("", "", Duration.ofMinutes(5), null));

        MockHttpServletResponse response = run(filter, new RequestSignature(NEW).headers("POST", PATH, body()));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentAsString()).contains("no txlab.internal.secret");
    }

    @Test
    void theEndpointReadsTheSameBodyTheSignatureCovered() throws Exception {
        SignedRequestFilter filter = filter(new InternalProperties(NEW, "", Duration.ofMinutes(5), null));
        MockHttpServletRequest request = request(new RequestSignature(NEW).headers("POST", PATH, body()));
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest().getInputStream().readAllBytes()).isEqualTo(body());
    }

    private static SignedRequestFilter filter(InternalProperties properties) {
        return new SignedRequestFilter(properties, java.time.Clock.systemUTC());
    }

    private static MockHttpServletResponse run(SignedRequestFilter filter, Map<String, String> headers)
            throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request(headers), response, new MockFilterChain());
        return response;
    }

    private static MockHttpServletRequest request(Map<String, String> headers) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", PATH);
        request.setContent(body());
        headers.forEach(request::addHeader);
        return request;
    }

    private static byte[] body() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }
}
