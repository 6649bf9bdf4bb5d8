package io.txlab.twopc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import io.txlab.devstack.postgres.Database;
import io.txlab.platform.twopc.PreparedTransaction;
import io.txlab.platform.twopc.PreparedTransactions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A participant for coordinator tests: the real {@link PreparedTransactions} over a real PostgreSQL database behind
 * the participant HTTP protocol, with stub business logic: operation {@code {"item":"A","quantity":n}} takes n from the
 * item's stock (guarded update) and votes NO ("OUT_OF_STOCK") when there is not enough.
 */
public final class ParticipantStub implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String name;
    private final Database database;
    final HikariDataSource dataSource;
    public final JdbcClient jdbc;
    public final PreparedTransactions transactions;
    private final HttpServer server;

    ParticipantStub(String name, Database database) throws IOException {
        this.name = name;
        this.database = database;
        this.dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.jdbcUrl());
        dataSource.setUsername(database.username());
        dataSource.setPassword(database.password());
        dataSource.setMaximumPoolSize(4);
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new PreparedTransactions(dataSource, new JdbcTransactionManager(dataSource), name,
                Duration.ofSeconds(1));
        // the platform's tables, as a real participant has them: twopc_branch records each prepare and its outcome
        org.flywaydb.core.Flyway.configure().dataSource(dataSource).locations("classpath:db/platform").load().migrate();
        jdbc.sql("CREATE TABLE IF NOT EXISTS item (id text PRIMARY KEY, stock int NOT NULL)").update();
        jdbc.sql("CREATE TABLE IF NOT EXISTS applied (gid text PRIMARY KEY)").update();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/twopc/", this::handle);
        server.start();
    }

    public String name() {
        return name;
    }

    public Database database() {
        return database;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void reset(int stock) {
        for (PreparedTransaction p : transactions.listPrepared("txlab_")) {
            if (p.database().equals(database.name())) {
                jdbc.sql("ROLLBACK PREPARED '" + p.branchGid() + "'").update();
            }
        }
        jdbc.sql("DELETE FROM applied").update();
        jdbc.sql("INSERT INTO item VALUES ('A', ?) ON CONFLICT (id) DO UPDATE SET stock = excluded.stock")
                .param(stock).update();
    }

    public int stock() {
        return jdbc.sql("SELECT stock FROM item WHERE id = 'A'").query(Integer.class).single();
    }

    public List<String> applied() {
        return jdbc.sql("SELECT gid FROM applied").query(String.class).list();
    }

    public List<PreparedTransaction> prepared() {
        return transactions.listOwnBranches();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().split("/");
            String gid = path[2];
            Object answer = switch (path[3]) {
                case "prepare" -> {
                    byte[] request = exchange.getRequestBody().readAllBytes();
                    JsonNode op = JSON.readTree(request);
                    // recorded like a real participant's prepare: the operation's fingerprint and the coordinator's epoch
                    yield transactions.prepare(gid, new PreparedTransactions.Request(
                                    io.txlab.platform.idempotency.IdempotencyKeys.fingerprint(op.toString()),
                                    exchange.getRequestHeaders().getFirst(io.txlab.contracts.twopc.Decision.EPOCH_HEADER)),
                            () -> work(gid, op.path("item").asString(), op.path("quantity").asInt()));
                }
                case "commit" -> new Resolution(gid, transactions.commitPrepared(gid));
                case "rollback" -> new Resolution(gid, transactions.rollbackPrepared(gid));
                default -> null;
            };
            byte[] body = answer == null ? new byte[0] : JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (RuntimeException e) {
            byte[] body = JSON.writeValueAsBytes(Map.of("detail", e.toString()));
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Vote work(String gid, String item, int quantity) {
        int updated = jdbc.sql("UPDATE item SET stock = stock - ? WHERE id = ? AND stock >= ?")
                .param(quantity).param(item).param(quantity).update();
        if (updated == 0) {
            return Vote.no("OUT_OF_STOCK");
        }
        jdbc.sql("INSERT INTO applied VALUES (?)").param(gid).update();
        return Vote.yes();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        dataSource.close();
    }
}
