package io.txlab.devstack.links;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The link proxy's faults against an echo server: what a client on the link sees for each. */
class LinkProxyTest {

    private ServerSocket echo;
    private LinkProxy link;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread c = new Thread(() -> echoLoop(s));
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        link = new LinkProxy(new LinkSpec("svc", "db", echo.getLocalPort()), 0);
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    private static void echoLoop(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // client gone
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), link.port());
        s.setSoTimeout(5_000);
        return s;
    }

    private static String roundTrip(Socket s, String message) throws IOException {
        s.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        byte[] back = new byte[message.length()];
        new DataInputStream(s.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void forwardsBothWaysAndCountsTheConnection() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            assertThat(link.status().openConnections()).isEqualTo(1);
            assertThat(link.status().forwardedBytes()).isEqualTo(10);
        }
    }

    @Test
    void aDelayAddsItsRoundTripToEveryExchange() throws IOException {
        link.set(Fault.delay(300));
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "slow")).isEqualTo("slow");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
            link.set(Fault.NONE);
            assertThat(roundTrip(s, "fast")).isEqualTo("fast");
        }
        assertThat(link.status().fault()).isEqualTo("none");
    }

    @Test
    void aPartitionHoldsEveryByteOnOpenAndNewConnectionsAndDeliversThemOnHeal() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");
            link.set(Fault.partition());
            open.setSoTimeout(500);
            open.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            // a new connection is accepted (the sender cannot tell), and nothing crosses it either
            try (Socket fresh = connect()) {
                fresh.setSoTimeout(500);
                fresh.getOutputStream().write("new".getBytes(StandardCharsets.UTF_8));
                assertThatThrownBy(() -> fresh.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

                link.set(Fault.NONE);
                open.setSoTimeout(5_000);
                fresh.setSoTimeout(5_000);
                byte[] held = new byte[4];
                new DataInputStream(open.getInputStream()).readFully(held);
                assertThat(new String(held, StandardCharsets.UTF_8)).isEqualTo("held");
                byte[] late = new byte[3];
                new DataInputStream(fresh.getInputStream()).readFully(late);
                assertThat(new String(late, StandardCharsets.UTF_8)).isEqualTo("new");
            }
        }
    }

    @Test
    void aCutResetsOpenConnectionsAndNewOnesUntilHealed() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "x")).isEqualTo("x");
            link.set(Fault.cut());
            assertThatThrownBy(() -> {
                int read = open.getInputStream().read();
                if (read < 0) {
                    throw new SocketException("end of stream");
                }
            }).isInstanceOf(SocketException.class);
        }
        try (Socket fresh = connect()) {
            assertThatThrownBy(() -> roundTrip(fresh, "y")).isInstanceOf(IOException.class);
        }
        link.set(Fault.NONE);
        try (Socket healed = connect()) {
            assertThat(roundTrip(healed, "z")).isEqualTo("z");
        }
    }

    @Test
    void aTargetThatIsDownResetsTheClientInsteadOfHangingIt() throws Exception {
        // Port 1 on loopback: nothing listens there, and it is outside the ephemeral range. A closed ephemeral port
        // (the echo server's) can be picked as the proxy's own source port, and a loopback connect to it then connects
        // to itself (TCP simultaneous open) and echoes, as it once did in CI.
        try (LinkProxy down = new LinkProxy(new LinkSpec("svc", "db", 1), 0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), down.port())) {
            s.setSoTimeout(5_000);
            assertThatThrownBy(() -> roundTrip(s, "anyone?")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void faultsAreValidated() {
        assertThatThrownBy(() -> Fault.parse("jitter", 0)).hasMessageContaining("unknown fault 'jitter'");
        assertThatThrownBy(() -> Fault.delay(0)).hasMessageContaining("above 0 ms");
        assertThatThrownBy(() -> new Fault(Fault.Kind.PARTITION, 5)).hasMessageContaining("only a delay");
        assertThat(Fault.parse("DELAY", 40)).isEqualTo(Fault.delay(40));
        assertThat(LinksServerMain.parse("payment-service>postgres-payment=15433"))
                .isEqualTo(new LinkSpec("payment-service", "postgres-payment", 15433));
        assertThatThrownBy(() -> LinksServerMain.parse("payment-service=15433")).hasMessageContaining("<from>to=targetPort");
        LinkSpec broker = new LinkSpec("payment-service", "kafka", 19099, 19096);
        assertThat(LinksServerMain.format(broker)).isEqualTo("payment-service>kafka=19099@19096");
        assertThat(LinksServerMain.parse(LinksServerMain.format(broker))).isEqualTo(broker);
    }
}
