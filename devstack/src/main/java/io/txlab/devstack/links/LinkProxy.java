package io.txlab.devstack.links;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for one link of the local stack, listening on 127.0.0.1 and forwarding to the link's target port,
 * with a {@link Fault} that can be changed while connections are open.
 *
 * <p>Each connection has, per direction, a reader thread that stamps every chunk it reads with the time it may
 * leave ({@link Fault#oneWayNanos()} later) and a writer thread that sends it then; so a delay shifts traffic in
 * time without limiting its rate. Both threads hold still while the link is partitioned. Blocking sockets and
 * platform threads keep it short and obvious: a link carries a connection pool's worth of connections.
 */
public final class LinkProxy implements Closeable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final byte[] EOF = new byte[0];

    private final LinkSpec spec;
    private final ServerSocket server;
    private final Object lock = new Object();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong forwardedBytes = new AtomicLong();
    private volatile boolean closed;
    private Fault fault = Fault.NONE;
    private Instant since = Instant.now();

    /** Binds 127.0.0.1:{@code port} ({@code 0}: any free port) and starts accepting. */
    public LinkProxy(LinkSpec spec, int port) throws IOException {
        this.spec = spec;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        Thread acceptor = new Thread(this::acceptLoop, "link-accept-" + spec.name());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public LinkSpec spec() {
        return spec;
    }

    /** The port this link listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** What one link looks like from the control API. */
    public record Status(String name, String from, String to, int port, int targetPort, String fault, int rttMs,
                         String since, int openConnections, long acceptedConnections, long forwardedBytes) {
    }

    public Status status() {
        Fault f;
        Instant s;
        synchronized (lock) {
            f = fault;
            s = since;
        }
        return new Status(spec.name(), spec.from(), spec.to(), port(), spec.targetPort(), f.kind().name().toLowerCase(java.util.Locale.ROOT),
                f.rttMs(), s.toString(), connections.size(), accepted.get(), forwardedBytes.get());
    }

    public Fault fault() {
        synchronized (lock) {
            return fault;
        }
    }

    /** Applies a fault from now on; {@link Fault#NONE} heals. A cut resets every open connection at once. */
    public void set(Fault next) {
        synchronized (lock) {
            if (!next.equals(fault)) {
                since = Instant.now();
            }
            fault = next;
            lock.notifyAll();
        }
        if (next.kind() == Fault.Kind.CUT) {
            connections.forEach(Connection::reset);
        }
    }

    /** Waits while the link is partitioned; false once the proxy is closed. */
    private boolean awaitPassable() throws InterruptedException {
        synchronized (lock) {
            while (fault.kind() == Fault.Kind.PARTITION && !closed) {
                lock.wait();
            }
            return !closed;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            Thread opener = new Thread(() -> open(client), "link-open-" + spec.name());
            opener.setDaemon(true);
            opener.start();
        }
    }

    /** Connects the accepted client to the target, once the link lets it through. */
    private void open(Socket client) {
        try {
            client.setTcpNoDelay(true);
            if (fault().kind() == Fault.Kind.CUT || !awaitPassable() || fault().kind() == Fault.Kind.CUT) {
                resetQuietly(client);
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), spec.targetPort()), CONNECT_TIMEOUT_MS);
            } catch (IOException refused) {
                // the target is down: the client sees its connection reset, as close as a proxy gets to "refused"
                closeQuietly(upstream);
                resetQuietly(client);
                return;
            }
            Connection connection = new Connection(client, upstream);
            connections.add(connection);
            if (closed || fault().kind() == Fault.Kind.CUT) {
                connection.reset();
                return;
            }
            connection.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resetQuietly(client);
        } catch (IOException e) {
            resetQuietly(client);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        closeQuietly(server);
        connections.forEach(Connection::close);
    }

    /** One proxied connection: two directions, each a reader and a writer thread around a queue of chunks. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private final AtomicBoolean done = new AtomicBoolean();
        private final Thread[] threads = new Thread[4];

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            BlockingQueue<Chunk> toTarget = new LinkedBlockingQueue<>();
            BlockingQueue<Chunk> toClient = new LinkedBlockingQueue<>();
            threads[0] = thread("read-c", reader(client.getInputStream(), toTarget));
            threads[1] = thread("write-t", writer(upstream.getOutputStream(), toTarget));
            threads[2] = thread("read-t", reader(upstream.getInputStream(), toClient));
            threads[3] = thread("write-c", writer(client.getOutputStream(), toClient));
            for (Thread t : threads) {
                t.start();
            }
        }

        private Thread thread(String role, Runnable body) {
            Thread t = new Thread(body, "link-" + role + "-" + spec.name());
            t.setDaemon(true);
            return t;
        }

        private Runnable reader(InputStream in, BlockingQueue<Chunk> queue) {
            return () -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    while (true) {
                        int n = in.read(buffer);
                        if (n < 0) {
                            queue.put(new Chunk(EOF, System.nanoTime()));
                            return;
                        }
                        if (!awaitPassable()) {
                            return;
                        }
                        queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + fault().oneWayNanos()));
                    }
                } catch (IOException | InterruptedException e) {
                    close();
                }
            };
        }

        private Runnable writer(OutputStream out, BlockingQueue<Chunk> queue) {
            return () -> {
                try {
                    while (true) {
                        Chunk chunk = queue.take();
                        if (chunk.bytes() == EOF) {
                            close();
                            return;
                        }
                        if (!awaitPassable()) {
                            return;
                        }
                        long wait = chunk.dueNanos() - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        // counted before the write: a peer that has read these bytes must see them counted
                        forwardedBytes.addAndGet(chunk.bytes().length);
                        out.write(chunk.bytes());
                    }
                } catch (IOException | InterruptedException e) {
                    close();
                }
            };
        }

        /** Closes both sockets (the other side sees the end of its stream) and stops the threads. */
        void close() {
            if (done.compareAndSet(false, true)) {
                connections.remove(this);
                closeQuietly(client);
                closeQuietly(upstream);
                for (Thread t : threads) {
                    if (t != null && t != Thread.currentThread()) {
                        t.interrupt();
                    }
                }
            }
        }

        /** Like {@link #close()}, with an RST on both sides instead of an orderly end. */
        void reset() {
            try {
                client.setSoLinger(true, 0);
                upstream.setSoLinger(true, 0);
            } catch (IOException e) {
                // closed already
            }
            close();
        }
    }

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do: the socket is gone either way
        }
    }
}
