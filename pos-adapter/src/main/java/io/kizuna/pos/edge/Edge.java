package io.kizuna.pos.edge;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.kizuna.pos.PosHttpService;
import io.kizuna.pos.PosLogReader;
import io.kizuna.web.Http;
import io.kizuna.web.JsonMapper;
import io.kizuna.web.Problems;
import io.kizuna.web.RequestIds;

/**
 * A running store edge: /pos/v1 for the tills, a journal on disk, forwarding to the centre now or, through the
 * replay loop, later; GET /edge/v1/status says how far behind it is.
 */
public final class Edge implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Edge.class.getName());

    private final Journal journal;
    private final Resilience resilience;
    private final EdgePort port;
    private final WebServer server;
    private final ScheduledExecutorService replayer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edge-replay").daemon().factory());

    private Edge(Config config, EdgeConfig edge, Clock clock) {
        ObjectMapper json = JsonMapper.create();
        journal = Journal.open(edge.folder().resolve("journal.log"));
        resilience = new Resilience(edge);
        port = new EdgePort(journal, new CentralClient(edge.central(), json, edge.callTimeout()), resilience,
                new KnownTerminals(edge.folder().resolve("terminals.json"), json), json, clock, edge.yenPerPoint());
        Http http = new Http(json, 256 * 1024);
        PosHttpService tills = new PosHttpService(port,
                new PosLogReader(List.of("LoyaltyID"), "JPY"), http, port::resolveCardCode);
        Problems problems = new Problems(json);
        server = WebServer.builder()
                .config(config.get("server"))
                .routing(routing -> routing(routing, problems, tills, http))
                .build();
        long every = edge.replayInterval().toMillis();
        replayer.scheduleWithFixedDelay(this::replayQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    public static Edge start(Config config, EdgeConfig edge, Clock clock) {
        Edge running = new Edge(config, edge, clock);
        running.server.start();
        LOG.log(System.Logger.Level.INFO, "Kizuna edge serving tills on port {0,number,#}, forwarding to {1}",
                running.server.port(), edge.central());
        return running;
    }

    private void routing(HttpRouting.Builder routing, Problems problems, PosHttpService tills, Http http) {
        problems.register(routing);
        routing.addFilter(new RequestIds())
                .register("/pos/v1", tills)
                .get("/edge/v1/status", (request, response) -> http.ok(response, port.status()));
    }

    private void replayQuietly() {
        try {
            port.replay();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Replay failed and will be tried again: " + e.getClass().getName());
        }
    }

    public int port() {
        return server.port();
    }

    public EdgePort.Status status() {
        return port.status();
    }

    @Override
    public void close() {
        replayer.shutdownNow();
        server.stop();
        resilience.close();
        journal.close();
    }
}
