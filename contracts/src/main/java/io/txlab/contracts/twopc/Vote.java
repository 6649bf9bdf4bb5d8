package io.txlab.contracts.twopc;

/**
 * A participant's answer to prepare. JSON: {@code {"vote":"YES","reason":null}} or
 * {@code {"vote":"NO","reason":"OUT_OF_STOCK"}}. {@code reason} is a {@link io.txlab.contracts.RejectionReason} name
 * for business refusals, or a short technical description.
 */
public record Vote(Value vote, String reason) {

    public enum Value { YES, NO }

    public static Vote yes() {
        return new Vote(Value.YES, null);
    }

    public static Vote no(String reason) {
        return new Vote(Value.NO, reason);
    }

    public boolean isYes() {
        return vote == Value.YES;
    }
}
