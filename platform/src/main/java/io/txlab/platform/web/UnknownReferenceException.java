package io.txlab.platform.web;

import java.util.List;

/**
 * A request named things this service (or the service that owns them) does not know, e.g. a SKU missing from the
 * catalogue. Mapped to 422 with a problem type {@code unknown-<kind>} and the offending references listed.
 */
public class UnknownReferenceException extends RuntimeException {

    private final String kind;
    private final List<String> references;

    /**
     * @param kind       what was referenced, singular and lowercase ({@code sku}, {@code customer})
     * @param references the identifiers that are unknown
     */
    public UnknownReferenceException(String kind, List<String> references) {
        super("unknown " + kind + (references.size() == 1 ? " " : "s ") + String.join(", ", references));
        this.kind = kind;
        this.references = List.copyOf(references);
    }

    public String kind() {
        return kind;
    }

    public List<String> references() {
        return references;
    }
}
