package io.kizuna.pos.edge;

import java.time.Clock;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

/** Starts the in-store edge: {@code java -jar pos-adapter/target/kizuna-pos-edge.jar}. */
public final class EdgeMain {
    private EdgeMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        // edge.yaml, not application.yaml: this module is also on the central server's classpath.
        Config config = Config.builder()
                .sources(ConfigSources.environmentVariables(), ConfigSources.systemProperties(),
                        ConfigSources.classpath("edge.yaml"))
                .build();
        Edge edge = Edge.start(config, EdgeConfig.from(config.get("kizuna.edge")), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(edge::close, "edge-shutdown"));
    }
}
