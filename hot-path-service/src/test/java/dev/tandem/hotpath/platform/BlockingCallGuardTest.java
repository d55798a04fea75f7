package dev.tandem.hotpath.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.hotpath.BlockingCallGuard;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

/**
 * What {@link BlockingCallGuard} relies on: a blocking call on the event loop is detected by what
 * it calls — however short (reading a small file) — and fails where it is made; the same call on a worker
 * thread is allowed.
 */
@QuarkusTest
@WithTestResource(TestServersResource.class)
@BlockingCallGuard.BlocksOnPurpose
class BlockingCallGuardTest {

    @Path("/test/blocking")
    public static class Blocker {
        @GET
        @Path("/event-loop")
        @Operation(hidden = true)
        public Uni<String> onTheEventLoop() throws IOException {
            read(); // exactly what production code must never do on an event loop
            return Uni.createFrom().item(Thread.currentThread().getName());
        }

        @GET
        @Path("/worker")
        @Operation(hidden = true)
        public String onAWorker() throws IOException {
            read(); // a blocking method (not Uni): Quarkus runs it on a worker thread
            return Thread.currentThread().getName();
        }

        /** A small file read with java.io, however fast: blocking by what it calls. */
        private static void read() throws IOException {
            try (FileInputStream pom = new FileInputStream("pom.xml")) {
                pom.readAllBytes();
            }
        }
    }

    @Test
    void aBlockingCallOnTheEventLoopIsDetectedByWhatItCalls() throws Exception {
        detected(); // start from nothing

        given().get("/test/blocking/event-loop").then().statusCode(500);

        assertThat(detected())
                .singleElement()
                .satisfies(message -> assertThat(message).contains("java.io.FileInputStream"));
    }

    @Test
    void theSameCallOnAWorkerThreadIsAllowed() throws Exception {
        detected();

        String thread = given().get("/test/blocking/worker")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(thread).doesNotContain("eventloop");
        assertThat(detected()).isEmpty();
    }

    /**
     * What the guard saw, through the class the test run installed (this test class runs in
     * Quarkus' class loader, the guard and BlockHound in the application class loader).
     */
    @SuppressWarnings("unchecked")
    private static List<String> detected() throws Exception {
        Class<?> hound = ClassLoader.getSystemClassLoader().loadClass("dev.tandem.hotpath.EventLoopBlockHound");
        Method take = hound.getDeclaredMethod("takeDetected");
        take.setAccessible(true);
        return ((List<? extends Throwable>) take.invoke(null))
                .stream().map(Throwable::getMessage).toList();
    }
}
