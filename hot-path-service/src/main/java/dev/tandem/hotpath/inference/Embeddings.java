package dev.tandem.hotpath.inference;

import dev.tandem.hotpath.inference.TextEncoder.Encoded;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.ServiceUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

/**
 * The text encoder, BGE-small-en-v1.5 (int8), as a service: loaded once when the service starts
 * (in the background; readiness waits for it), then shared by every caller through one {@link
 * MicroBatcher}. Every text the API, moderation or a queue task embeds goes through here.
 */
@ApplicationScoped
public class Embeddings {

    /** The encoder's name in the API. */
    public static final String MODEL = "bge-small-en-v1.5";

    static final String MODEL_FILE = "bge-small-en-v1.5-q.onnx";
    static final String TOKENIZER_FILE = "bge-small-en-v1.5-q-tokenizer.json";
    private static final Logger log = Logger.getLogger(Embeddings.class);
    private static final long RETRY_AFTER_SECONDS = 1;

    private final MeterRegistry meters;
    private final int maxTokens;
    private final int threads;
    private final int maxBatch;
    private final Duration maxWait;
    private final int capacity;
    private volatile TextEncoder encoder;
    private volatile MicroBatcher<String, Encoded> batcher;
    private volatile Throwable loadFailure;

    Embeddings(
            MeterRegistry meters,
            @ConfigProperty(name = "tandem.inference.max-tokens") int maxTokens,
            @ConfigProperty(name = "tandem.inference.threads") Optional<Integer> threads,
            @ConfigProperty(name = "tandem.inference.max-batch") int maxBatch,
            @ConfigProperty(name = "tandem.inference.max-wait") Duration maxWait,
            @ConfigProperty(name = "tandem.inference.queue-capacity") int capacity) {
        this.meters = meters;
        this.maxTokens = maxTokens;
        this.threads = threads.orElse(Runtime.getRuntime().availableProcessors());
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.capacity = capacity;
    }

    void load(@Observes StartupEvent started) {
        // DJL's tokenizers never download: their native library and the tokenizer ship in jars.
        System.setProperty("ai.djl.offline", "true");
        Thread.ofPlatform().name("model-loader").start(() -> {
            long start = System.nanoTime();
            try {
                TextEncoder loaded = TextEncoder.load(MODEL_FILE, TOKENIZER_FILE, maxTokens, threads);
                batcher = new MicroBatcher<>(MODEL, loaded::encode, maxBatch, maxWait, capacity, meters);
                encoder = loaded;
                log.infof(
                        "Loaded %s (%d dimensions, %d threads) in %d ms",
                        MODEL, loaded.dimensions(), threads, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException | Error e) {
                loadFailure = e;
                log.errorf(e, "Could not load %s: inference stays unavailable", MODEL);
            }
        });
    }

    void close(@Observes ShutdownEvent stopped) throws Exception {
        if (batcher != null) {
            batcher.close();
        }
        if (encoder != null) {
            encoder.close();
        }
    }

    /** Whether the model is loaded and serving. */
    public boolean ready() {
        return encoder != null;
    }

    /** Why the model is not serving, or empty while it is loading or once it serves. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(loadFailure);
    }

    public int dimensions() {
        return requireEncoder().dimensions();
    }

    public int maxTokens() {
        return maxTokens;
    }

    /**
     * The texts' vectors, in order, from the shared micro-batcher. Fails with 503 and {@code
     * Retry-After} when the model is loading or its queue is full, and with a fault-tolerance
     * {@code TimeoutException} after 10 s (the caller's inputs are then dropped from the queue).
     */
    @Timeout(10_000)
    public Uni<List<Encoded>> embed(List<String> texts) {
        return Uni.createFrom()
                .<List<Encoded>>emitter(emitter -> {
                    CompletableFuture<List<Encoded>> future = requireBatcher().submit(texts);
                    emitter.onTermination(() -> future.cancel(false));
                    // Off the model's thread: what callers chain on the result must not delay the next pass.
                    future.whenCompleteAsync(
                            (vectors, failure) -> {
                                if (failure == null) {
                                    emitter.complete(vectors);
                                } else {
                                    emitter.fail(failure);
                                }
                            },
                            Infrastructure.getDefaultExecutor());
                })
                .onFailure(MicroBatcher.Saturated.class)
                .transform(saturated -> unavailable(saturated.getMessage() + "; try again shortly"));
    }

    /** One text's vector (unit length), through the same micro-batcher. */
    public Uni<float[]> vector(String text) {
        return embed(List.of(text)).map(encoded -> encoded.getFirst().vector());
    }

    private TextEncoder requireEncoder() {
        TextEncoder loaded = encoder;
        if (loaded == null) {
            throw unavailable("the " + MODEL + " model is still loading");
        }
        return loaded;
    }

    private MicroBatcher<String, Encoded> requireBatcher() {
        requireEncoder();
        return batcher;
    }

    private static ServiceUnavailableException unavailable(String detail) {
        return new ServiceUnavailableException(detail, RETRY_AFTER_SECONDS);
    }
}
