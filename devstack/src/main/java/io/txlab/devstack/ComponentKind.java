package io.txlab.devstack;

/** What a component is; decides its launcher and its start wave. */
public enum ComponentKind {
    POSTGRES, KAFKA, TEMPORAL, ZIPKIN, LINKS, SERVICE
}
