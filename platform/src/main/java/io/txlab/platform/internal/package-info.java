/**
 * Who may drive the protocol: requests between the services' internal endpoints (the 2PC participants'
 * {@code /twopc/**}, the coordinator's {@code /transactions/**}) carry an HMAC-SHA256 signature under a shared secret
 * ({@code txlab.internal.secret}; the signature itself is {@code io.txlab.contracts.twopc.RequestSignature}), checked
 * before the endpoint runs. A client of the public API has no secret, so it can neither prepare, commit nor roll back
 * a branch nor make the coordinator call anywhere. See adr/0018.
 */
package io.txlab.platform.internal;
