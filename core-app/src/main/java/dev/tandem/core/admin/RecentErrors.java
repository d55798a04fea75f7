package dev.tandem.core.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last {@value #KEPT} warnings and errors core-app logged, for the ops page: a Logback
 * appender on the root logger that keeps them in memory (they are in the logs too; this is the
 * quick look, lost on restart).
 */
@Component
class RecentErrors extends AppenderBase<ILoggingEvent> {

    static final int KEPT = 100;

    record Error(
            Instant at,
            String level,
            String logger,
            String message,
            @Nullable String exception) {
        public String when() {
            return AdminField.TIME.format(at);
        }
    }

    private final Deque<Error> errors = new ArrayDeque<>();

    RecentErrors() {
        setName("admin-recent-errors");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            setContext(context);
            start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        Error error = new Error(
                Instant.ofEpochMilli(event.getTimeStamp()),
                event.getLevel().toString(),
                event.getLoggerName(),
                event.getFormattedMessage(),
                thrown == null ? null : thrown.getClassName() + ": " + thrown.getMessage());
        synchronized (errors) {
            errors.addFirst(error);
            if (errors.size() > KEPT) {
                errors.removeLast();
            }
        }
    }

    List<Error> recent() {
        synchronized (errors) {
            return new ArrayList<>(errors);
        }
    }

    @PreDestroy
    void detach() {
        if (getContext() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        }
        stop();
    }
}
