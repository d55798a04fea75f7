package dev.tandem.hotpath.inference;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import dev.tandem.hotpath.inference.TextEncoder.Encoded;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The classification heads ({@code sentiment}, {@code spam}) on the shared encoder: a text is
 * embedded once, through the micro-batcher, and every head reads the same vector.
 */
@ApplicationScoped
public class Classifiers {

    /** The heads the service serves, each from {@code models/<name>/}. */
    public static final List<String> HEADS = List.of("sentiment", "spam");

    /** One text's answers: per head, what reading it cost, and its vector. */
    public record Classified(Map<String, Prediction> predictions, int tokens, boolean truncated, float[] vector) {}

    private final Embeddings embeddings;
    private final ObjectMapper json;
    private final Map<String, ClassifierHead> heads = new LinkedHashMap<>();

    Classifiers(Embeddings embeddings, ObjectMapper json) {
        this.embeddings = embeddings;
        this.json = json;
    }

    void load(@Observes StartupEvent started) {
        for (String name : HEADS) {
            heads.put(name, ClassifierHead.load(name, json));
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
                        encoded.get(i).vector()));
            }
            return classified;
        });
    }

    private static List<Prediction> predict(ClassifierHead head, List<float[]> vectors) {
        try {
            return head.predict(vectors);
        } catch (OrtException e) {
            throw new IllegalStateException("the " + head.name() + " head failed", e);
        }
    }
}
