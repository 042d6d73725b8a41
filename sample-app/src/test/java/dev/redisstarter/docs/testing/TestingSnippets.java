package dev.redisstarter.docs.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.ClusterUser;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisSentinelGroup;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.TlsCertificates;
import dev.redisstarter.test.schedule.AppliedFault;
import dev.redisstarter.test.schedule.EventLedger;
import dev.redisstarter.test.schedule.FaultInjector;
import dev.redisstarter.test.schedule.FaultKind;
import dev.redisstarter.test.schedule.FaultSchedule;
import dev.redisstarter.test.schedule.JvmProcess;
import dev.redisstarter.test.schedule.JvmSpec;
import dev.redisstarter.test.schedule.LedgerCheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

// tag::spring-test[]
@SpringBootTest
@RealRedis                       // or @RealRedis(Topology.CLUSTER), @RealRedis(Topology.SENTINEL)
class CheckoutTests {
    @Autowired StringRedisTemplate redis;   // already connected to the test server
}
// end::spring-test[]

/** The snippets of docs/testing.md that are not whole classes: compiled, not run (they start servers). */
abstract class TestingSnippets {

    void servers() throws Exception {
        // tag::servers[]
        try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
            server.stop();      // clients see the server go away
            server.start();     // same port, empty data set
        }
        RedisCluster cluster = RedisCluster.threeMasters().start();     // cluster.seedNodes() -> spring.data.redis.cluster.nodes
        RedisSentinelGroup group = RedisSentinelGroup.create().start(); // group.stopMaster(); group.awaitFailover(Duration.ofSeconds(30));
                                                                        // or group.failover(timeout): SENTINEL FAILOVER, the master stays up
        // end::servers[]
        cluster.close();
        group.close();
    }

    void secured() throws Exception {
        // tag::secured[]
        TlsCertificates certificates = TlsCertificates.create();   // self-signed for 127.0.0.1, made with the JDK's keytool
        LocalRedisServer server = LocalRedisServer.builder()
            .password("admin-secret")                               // --requirepass
            .user("shop on >shop-secret ~shop:* &shop:* +@all")     // --user, one per call; or server.command("ACL", "SETUSER", ...)
            .tls(certificates)                                      // --port 0 --tls-port <port>: TLS only, rediss:// URL
            .build().start();
        RedisServer shop = server.as("shop", "shop-secret");        // propertyValues(): rediss://shop:shop-secret@... and a PEM SSL bundle

        RedisCluster cluster = RedisCluster.threeMasters()
            .password("admin-secret")                               // every node: --requirepass (and --masterauth)
            .user("shop on >shop-secret ~shop:* &shop:* +@all")     // every node: --user (a Cluster keeps users per node)
            .tls(certificates)                                      // optional: TLS only, tls-cluster and tls-replication yes
            .start();
        cluster.commandOnEveryNode("ACL", "SETUSER", "shop", "resetchannels");   // change a user on every node at run time
        ClusterUser asShop = cluster.as("shop", "shop-secret");     // propertyValues(): nodes, username, password (and SSL bundle)
        // end::secured[]
        assertThat(shop).isNotNull();
        assertThat(asShop).isNotNull();
        server.close();
        cluster.close();
    }

    void faults() throws Exception {
        // tag::faults[]
        try (LocalRedisServer server = LocalRedisServer.builder().build().start();
                FaultProxy proxy = FaultProxy.inFrontOf(server)) {
            RedisClient client = RedisClient.create(RedisURI.builder()
                .withHost(proxy.host()).withPort(proxy.port()).withTimeout(Duration.ofMillis(500)).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("k", "v");

                server.freeze();                                         // the server hangs
                assertThatExceptionOfType(RedisCommandTimeoutException.class).isThrownBy(() -> connection.sync().get("k"));
                server.thaw();
                assertThat(connection.sync().get("k")).isEqualTo("v");   // the same connection works again

                proxy.set(Fault.BLACK_HOLE);                             // now the network swallows everything
                long sent = proxy.bytesToServer();
                assertThatExceptionOfType(RedisCommandTimeoutException.class).isThrownBy(() -> connection.sync().get("k"));
                assertThat(proxy.bytesToServer()).isEqualTo(sent);       // the command never reached Redis
            }
            finally {
                client.shutdown();
            }
        }
        // end::faults[]
    }

    abstract Set<String> idsOfMyDeadLetters();

    abstract long pendingEntriesAndActiveJobs();

    // tag::schedule[]
    @Test
    void ordersSurviveASchedule(@TempDir Path run) {
        try (LocalRedisServer redis = LocalRedisServer.builder()
                    .config("appendonly", "yes").config("appendfsync", "always").build().start();
             FaultProxy proxy = FaultProxy.inFrontOf(redis);
             EventLedger producer = EventLedger.open(run, "producer")) {
            JvmSpec spec = JvmSpec.of("worker-1", OrderWorker.class).withSystemProperties(Map.of(
                "spring.data.redis.url", proxy.url(),
                EventLedger.RUN_DIRECTORY_PROPERTY, run.toString(), EventLedger.PROCESS_PROPERTY, "worker-1"));
            List<JvmProcess> workers = List.of(JvmProcess.start(spec, run));
            workers.forEach((worker) -> worker.awaitOutput("ready", Duration.ofSeconds(60)));

            FaultSchedule schedule = FaultSchedule.generate(FaultSchedule.seedProperty(42),
                FaultSchedule.durationProperty(Duration.ofSeconds(30)),
                EnumSet.of(FaultKind.KILL_CONSUMER, FaultKind.RESTART_REDIS, FaultKind.BLACK_HOLE), FaultSchedule.Pacing.DEFAULT);
            // produce on another thread meanwhile: after each add or enqueue returns, producer.accepted(id)
            List<AppliedFault> applied = FaultInjector.builder().redis(redis).proxy(proxy).consumers(workers).build().run(schedule);

            LedgerCheck.of(run, schedule, applied)
                .deadLetters(() -> idsOfMyDeadLetters())                 // read from DeadLetters / JobDeadLetters
                .outstanding(() -> pendingEntriesAndActiveJobs())        // must reach 0
                .awaitHolds(Duration.ofSeconds(60));                     // AssertionError naming the seed
            workers.forEach(JvmProcess::close);
        }
    }
    // end::schedule[]

}

// tag::worker[]
final class OrderWorker {                                  // test sources: a main class of yours
    public static void main(String[] args) {
        EventLedger ledger = EventLedger.fromSystemProperties();
        // start your application (SpringApplication.run ...) with a handler that ends with
        //   ledger.handled(order.id());                  // after its work, before it returns
        System.out.println("ready");
    }
}
// end::worker[]
