package dev.tandem.hotpath;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound for Vert.x: an event-loop thread may not call anything that blocks (a sleep, a file
 * or socket read, a JDBC call, a wait on a contended lock). A call that does fails where it is made,
 * with its stack trace, and is kept for {@link BlockingCallGuard}, which fails the test class: a
 * handler that swallows the error, or answers 500, still fails the build. What is detected depends
 * on what the code calls, not on how long it takes, so a slow machine fails nothing and a fast one
 * hides nothing. Installed once per test JVM, before the first test (a JUnit Platform listener).
 *
 * <p>Only this integration is installed, not the ones BlockHound finds on the class path: theirs
 * allow calls by instrumenting Netty's classes, which Quarkus loads in its own class loader where
 * BlockHound's runtime class is not the one the instrumented code must reach. The same allowances
 * (Netty's list, and logging) are applied here instead, by the frames of the caught call's stack.
 */
public class EventLoopBlockHound implements BlockHoundIntegration, TestExecutionListener {

    /** Vert.x names its event-loop threads so; worker threads ({@code executeBlocking}) may block. */
    static final String EVENT_LOOP_THREAD = "vert.x-eventloop-thread-";

    /**
     * Frames inside which a blocking call is tolerated, as {@code class#method}: Netty's own list
     * (its {@code Hidden.NettyBlockHoundIntegration}: pool locks, task queues, timers, TLS) and
     * class loading.
     */
    private static final Set<String> TOLERATED_INSIDE = Set.of(
            "java.lang.ClassLoader#loadClass",
            "io.netty.channel.nio.NioEventLoop#handleLoopException",
            "io.netty.channel.epoll.EpollEventLoop#handleLoopException",
            "io.netty.util.HashedWheelTimer#start",
            "io.netty.util.HashedWheelTimer#stop",
            "io.netty.util.HashedWheelTimer$Worker#waitForNextTick",
            "io.netty.util.concurrent.SingleThreadEventExecutor#confirmShutdown",
            "io.netty.util.concurrent.SingleThreadEventExecutor#pollTaskFrom",
            "io.netty.util.concurrent.SingleThreadEventExecutor#takeTask",
            "io.netty.util.concurrent.SingleThreadEventExecutor#addTask",
            "io.netty.util.concurrent.GlobalEventExecutor#takeTask",
            "io.netty.util.concurrent.GlobalEventExecutor#addTask",
            "io.netty.buffer.PoolArena#lock",
            "io.netty.buffer.PoolSubpage#lock",
            "io.netty.buffer.PoolChunk#allocateRun",
            "io.netty.buffer.PoolChunk#free",
            "io.netty.buffer.AdaptivePoolingAllocator$1#initialValue",
            "io.netty.buffer.AdaptivePoolingAllocator$1#onRemoval",
            "io.netty.handler.ssl.SslHandler#handshake",
            "io.netty.handler.ssl.SslHandler#runAllDelegatedTasks",
            "io.netty.handler.ssl.SslHandler#runDelegatedTasks",
            "io.netty.resolver.dns.DnsQueryIdSpace#nextId",
            "io.netty.util.internal.ReferenceCountUpdater#retryRelease0",
            "io.netty.util.internal.PlatformDependent#createTempFile");

    /**
     * Classes inside which a blocking call is tolerated, by name prefix: writing a log line (the
     * console, a file); reading an entry of a jar on the class path, which the JVM and
     * {@code ServiceLoader} do on the first use of a class or a service; and reading
     * {@code /dev/urandom} for {@code SecureRandom} (random UUIDs), which never blocks on Linux.
     */
    private static final List<String> TOLERATED_PACKAGES = List.of(
            "org.jboss.logmanager.",
            "java.io.PrintStream",
            "java.util.ServiceLoader",
            "java.util.zip.ZipFile",
            "java.util.jar.JarFile",
            "sun.security.provider.NativePRNG");

    /**
     * ArC creates an application-scoped bean on its first use, under a lock, in generated
     * {@code *_ContextInstances} classes: a second event loop that asks for the bean meanwhile
     * waits for that one creation. Only this wait ({@code park}) is tolerated there; anything else
     * that blocks while a bean is created is still caught.
     */
    private static final String BEAN_CREATION_LOCK = "_ContextInstances";

    private static final List<BlockingOperationError> detected = new ArrayList<>();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        BlockHound.builder().with(this).install();
    }

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(current -> current.or(EventLoopBlockHound::isEventLoop));
        builder.blockingMethodCallback(method -> {
            if (tolerated() || ("park".equals(method.getName()) && waitsForBeanCreation())) {
                return;
            }
            BlockingOperationError error = new BlockingOperationError(method);
            synchronized (detected) {
                detected.add(error);
            }
            throw error;
        });
    }

    static boolean isEventLoop(Thread thread) {
        return thread.getName().startsWith(EVENT_LOOP_THREAD);
    }

    private static boolean tolerated() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(frame -> {
                    String type = frame.getClassName();
                    return TOLERATED_INSIDE.contains(type + "#" + frame.getMethodName())
                            || TOLERATED_PACKAGES.stream().anyMatch(type::startsWith);
                }));
    }

    private static boolean waitsForBeanCreation() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(frame -> frame.getClassName().endsWith(BEAN_CREATION_LOCK)));
    }

    /** The blocking calls seen since the last call, oldest first. */
    static List<BlockingOperationError> takeDetected() {
        synchronized (detected) {
            List<BlockingOperationError> seen = List.copyOf(detected);
            detected.clear();
            return seen;
        }
    }
}
