package dev.tandem.hotpath;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Vert.x reported a blocked event-loop thread while it ran: nothing on
 * the event loop may block (in tests Vert.x warns past 500 ms, see application.properties). Active
 * for every test class (JUnit extension auto-detection).
 */
public class EventLoopGuard implements BeforeAllCallback, AfterAllCallback {

    static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";

    private static final List<String> reports = new ArrayList<>();
    private static final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (reports) {
                    reports.add(String.valueOf(record.getMessage()));
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        Logger logger = Logger.getLogger(CHECKER);
        for (Handler installed : logger.getHandlers()) {
            if (installed == handler) {
                return;
            }
        }
        logger.addHandler(handler);
    }

    /** On a test class that blocks the event loop on purpose (the test of this guard). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface BlocksOnPurpose {}

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> seen = takeReports();
        if (!seen.isEmpty() && !blocksOnPurpose(context.getRequiredTestClass())) {
            throw new AssertionError("the event loop was blocked: " + seen);
        }
    }

    /** By name: Quarkus loads test classes (and their annotations) in its own class loader. */
    private static boolean blocksOnPurpose(Class<?> testClass) {
        return Arrays.stream(testClass.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().getName().equals(BlocksOnPurpose.class.getName()));
    }

    private static List<String> takeReports() {
        synchronized (reports) {
            List<String> seen = List.copyOf(reports);
            reports.clear();
            return seen;
        }
    }
}
