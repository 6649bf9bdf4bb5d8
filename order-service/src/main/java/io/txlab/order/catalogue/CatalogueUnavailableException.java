package io.txlab.order.catalogue;

/** A service that owns reference data could not answer a look-up; the request cannot be judged (503). */
public class CatalogueUnavailableException extends RuntimeException {

    private final String service;

    public CatalogueUnavailableException(String service, String detail, Throwable cause) {
        super(service + " is unavailable: " + detail, cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
