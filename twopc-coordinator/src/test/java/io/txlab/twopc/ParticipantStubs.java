package io.txlab.twopc;

import io.txlab.devstack.testing.TestInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A set of {@link ParticipantStub}s, each over a fresh database on the shared test cluster; created on first use. */
public final class ParticipantStubs implements AutoCloseable {

    private final String[] names;
    private List<ParticipantStub> stubs;

    public ParticipantStubs(String... names) {
        this.names = names;
    }

    public synchronized List<ParticipantStub> all() {
        if (stubs == null) {
            List<ParticipantStub> created = new ArrayList<>();
            for (String name : names) {
                try {
                    created.add(new ParticipantStub(name, TestInfra.postgres().freshDatabase("participant_" + name)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            stubs = List.copyOf(created);
        }
        return stubs;
    }

    public ParticipantStub get(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    @Override
    public synchronized void close() {
        if (stubs != null) {
            stubs.forEach(ParticipantStub::close);
        }
    }
}
