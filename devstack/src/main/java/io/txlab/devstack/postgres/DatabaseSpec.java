package io.txlab.devstack.postgres;

import java.util.List;

/** A database the devstack creates at bootstrap, owned by {@code txlab}, with the extensions it needs. */
public record DatabaseSpec(String name, List<String> extensions) {

    public DatabaseSpec {
        extensions = List.copyOf(extensions);
    }

    public static DatabaseSpec of(String name, String... extensions) {
        return new DatabaseSpec(name, List.of(extensions));
    }
}
