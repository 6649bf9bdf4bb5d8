package io.txlab.platform.internal;

import io.txlab.contracts.twopc.RequestSignature;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** Signs every request of the client it is added to ({@code RestClient.Builder#requestInterceptor}). */
public final class SigningInterceptor implements ClientHttpRequestInterceptor {

    private final RequestSignature signature;

    public SigningInterceptor(RequestSignature signature) {
        this.signature = signature;
    }

    /** An interceptor for {@code secret}, or one that adds nothing when it is blank (the server then refuses). */
    public static ClientHttpRequestInterceptor forSecret(String secret) {
        return secret == null || secret.isBlank()
                ? (request, body, execution) -> execution.execute(request, body)
                : new SigningInterceptor(new RequestSignature(secret));
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        signature.headers(request.getMethod().name(), pathAndQuery(request.getURI()), body)
                .forEach(request.getHeaders()::set);
        return execution.execute(request, body);
    }

    /** The raw (still encoded) path and query, as the server's request URI shows them. */
    static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
