package io.txlab.devstack.temporal;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.txlab.devstack.testing.TestInfra;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemporalServerIT {

    @Test
    void answersOnLoopback() {
        TemporalServer server = TestInfra.temporal();
        assertThat(server.target()).startsWith("127.0.0.1:");
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
        try {
            GetSystemInfoResponse info = stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            assertThat(info).isNotNull();
        } finally {
            stubs.shutdownNow();
        }
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        TemporalServer server = TestInfra.temporal();
        // Linux socket tables: local_address is hex, state 0A is LISTEN. Java may open a dual-stack IPv6 socket,
        // in which case 127.0.0.1 appears in tcp6 as the IPv4-mapped ::ffff:127.0.0.1.
        String portHex = String.format(Locale.ROOT, ":%04X", server.port());
        List<String> listening = new ArrayList<>();
        listening.addAll(listeners(Path.of("/proc/net/tcp"), portHex));
        listening.addAll(listeners(Path.of("/proc/net/tcp6"), portHex));
        if (Files.isReadable(Path.of("/proc/net/tcp"))) {
            assertThat(listening).isNotEmpty().allSatisfy(address -> assertThat(address).isIn(
                    "0100007F" + portHex,
                    "0000000000000000FFFF00000100007F" + portHex,
                    "00000000000000000000000001000000" + portHex));
        }
        for (InetAddress address : nonLoopbackIpv4()) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, server.port()), 1000);
                }
            }).as("connect to %s:%d", address, server.port()).isInstanceOf(IOException.class);
        }
    }

    private static List<String> listeners(Path table, String portHex) throws IOException {
        List<String> result = new ArrayList<>();
        if (!Files.isReadable(table)) {
            return result;
        }
        for (String line : Files.readAllLines(table)) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length > 3 && cols[1].endsWith(portHex) && cols[3].equals("0A")) {
                result.add(cols[1]);
            }
        }
        return result;
    }

    private static List<InetAddress> nonLoopbackIpv4() throws IOException {
        List<InetAddress> result = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> a instanceof Inet4Address)
                        .forEach(result::add);
            }
        }
        return result;
    }
}
