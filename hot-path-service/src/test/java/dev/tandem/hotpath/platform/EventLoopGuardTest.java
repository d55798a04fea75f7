package dev.tandem.hotpath.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.tandem.hotpath.EventLoopGuard;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

/**
 * What {@link EventLoopGuard} relies on: a blocked event loop is reported, as a warning of Vert.x's
 * blocked-thread checker, within the limit the tests set.
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
@EventLoopGuard.BlocksOnPurpose
class EventLoopGuardTest {

    @Path("/test/block-the-event-loop")
    public static class Blocker {
        @GET
        @Operation(hidden = true)
        public Uni<String> block() throws InterruptedException {
            Thread.sleep(2_500); // exactly what production code must never do on an event loop
            return Uni.createFrom().item(Thread.currentThread().getName());
        }
    }

    @Test
    void aBlockedEventLoopIsReported() throws InterruptedException {
        List<String> reports = new CopyOnWriteArrayList<>();
        Handler collector = new Handler() {
            @Override
            public void publish(LogRecord record) {
                reports.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger checker = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
        checker.addHandler(collector);
        try {
            given().get("/test/block-the-event-loop").then().statusCode(200).body(containsString("eventloop"));

            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (reports.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
        } finally {
            checker.removeHandler(collector);
        }
        assertThat(reports).anySatisfy(report -> assertThat(report).contains("has been blocked"));
    }
}
