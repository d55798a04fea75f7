package dev.tandem.hotpath.inference;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import dev.tandem.hotpath.inference.TextEncoder.Encoded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.ServiceUnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The classification heads ({@code sentiment}, {@code spam}) on the shared encoder: a text is
 * embedded once, through the micro-batcher, and every head reads the same vector.
 */
@ApplicationScoped
public class Classifiers {

    /** The heads the service serves, each from {@code models/<name>/}. */
    public static final List<String> HEADS = List.of("sentiment", "spam");

    /**
     * One text's answers: per head, what reading it cost, its vector, and whether the lexical
     * fallback answered (then no tokens were read and there is no vector).
     */
    public record Classified(
            Map<String, Prediction> predictions,
            int tokens,
            boolean truncated,
            float @Nullable [] vector,
            boolean fallback) {}

    private final Embeddings embeddings;
    private final ObjectMapper json;
    private final Map<String, ClassifierHead> heads = new LinkedHashMap<>();
    private final Map<String, Lexicon> lexicons = new LinkedHashMap<>();

    private final Counter fallbacks;

    Classifiers(Embeddings embeddings, ObjectMapper json, MeterRegistry meters) {
        this.embeddings = embeddings;
        this.json = json;
        this.fallbacks = Counter.builder("tandem.inference.fallbacks")
                .description("Classification requests the lexical fallback answered (the encoder was busy)")
                .register(meters);
    }

    void load(@Observes StartupEvent started) {
        for (String name : HEADS) {
            heads.put(name, ClassifierHead.load(name, json));
            lexicons.put(name, Lexicon.load(name, json));
        }
    }

    void close(@Observes ShutdownEvent stopped) throws OrtException {
        for (ClassifierHead head : heads.values()) {
            head.close();
        }
    }

    Optional<ClassifierHead> head(String name) {
        return Optional.ofNullable(heads.get(name));
    }

    Collection<ClassifierHead> heads() {
        return heads.values();
    }

    /** The texts' answers from the named heads (all when none is named), in order. */
    public Uni<List<Classified>> classify(List<String> texts, List<String> headNames) {
        List<ClassifierHead> chosen = headNames.isEmpty()
                ? List.copyOf(heads.values())
                : headNames.stream().map(heads::get).toList();
        return embeddings.embed(texts).map(encoded -> {
            List<float[]> vectors = encoded.stream().map(Encoded::vector).toList();
            List<Map<String, Prediction>> perText = new ArrayList<>();
            encoded.forEach(e -> perText.add(new LinkedHashMap<>()));
            for (ClassifierHead head : chosen) {
                List<Prediction> predictions = predict(head, vectors);
                for (int i = 0; i < predictions.size(); i++) {
                    perText.get(i).put(head.name(), predictions.get(i));
                }
            }
            List<Classified> classified = new ArrayList<>(encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                classified.add(new Classified(
                        perText.get(i),
                        encoded.get(i).tokens(),
                        encoded.get(i).truncated(),
                        encoded.get(i).vector(),
                        false));
            }
            return classified;
        });
    }

    /**
     * As {@link #classify}, but when the encoder is loading, saturated or too slow (503 or the
     * fault-tolerance timeout), each head's lexical fallback answers instead, at once.
     */
    @Fallback(
            fallbackMethod = "lexical",
            applyOn = {ServiceUnavailableException.class, TimeoutException.class})
    public Uni<List<Classified>> classifyOrFallback(List<String> texts, List<String> headNames) {
        return classify(texts, headNames);
    }

    Uni<List<Classified>> lexical(List<String> texts, List<String> headNames) {
        fallbacks.increment();
        List<String> chosen = headNames.isEmpty() ? HEADS : headNames;
        List<Classified> classified = new ArrayList<>(texts.size());
        for (String text : texts) {
            Map<String, Prediction> predictions = new LinkedHashMap<>();
            for (String head : chosen) {
                predictions.put(head, lexicons.get(head).predict(text));
            }
            classified.add(new Classified(predictions, 0, false, null, true));
        }
        return Uni.createFrom().item(classified);
    }

    /** The held-out accuracy of a head's lexical fallback. */
    double fallbackAccuracy(String head) {
        return lexicons.get(head).heldOutAccuracy();
    }

    private static List<Prediction> predict(ClassifierHead head, List<float[]> vectors) {
        try {
            return head.predict(vectors);
        } catch (OrtException e) {
            throw new IllegalStateException("the " + head.name() + " head failed", e);
        }
    }
}
