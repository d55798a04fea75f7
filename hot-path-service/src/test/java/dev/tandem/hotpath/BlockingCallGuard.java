package dev.tandem.hotpath;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockingOperationError;

/**
 * Fails a test class when code on a Vert.x event loop called something that blocks while it ran
 * ({@link EventLoopBlockHound}), with the stack trace of the first such call. Active for every test
 * class (JUnit extension auto-detection, see the surefire configuration).
 */
public class BlockingCallGuard implements BeforeAllCallback, AfterAllCallback {

    /** On a test class that blocks the event loop on purpose (the test of this guard). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface BlocksOnPurpose {}

    @Override
    public void beforeAll(ExtensionContext context) {
        EventLoopBlockHound.takeDetected(); // what earlier classes left is theirs, and was reported
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<BlockingOperationError> seen = EventLoopBlockHound.takeDetected();
        if (!seen.isEmpty() && !blocksOnPurpose(context.getRequiredTestClass())) {
            AssertionError failure = new AssertionError(seen.size() + " blocking call(s) on an event loop, the first: "
                    + seen.getFirst().getMessage() + "\n" + stackTrace(seen.getFirst()));
            seen.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** By name: Quarkus loads test classes (and their annotations) in its own class loader. */
    private static boolean blocksOnPurpose(Class<?> testClass) {
        return Arrays.stream(testClass.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().getName().equals(BlocksOnPurpose.class.getName()));
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
