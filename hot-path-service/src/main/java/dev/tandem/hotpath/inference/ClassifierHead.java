package dev.tandem.hotpath.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classification head: a logistic regression on the encoder's vectors, trained by {@code
 * TrainHeads} and loaded from {@code models/<name>/head.onnx} with its {@code model.json} (labels,
 * metrics, data, licence). Its forward pass is a 384 × labels product: microseconds, so it runs on
 * the thread that got the vectors.
 */
final class ClassifierHead implements AutoCloseable {

    /** One text's answer: the likeliest label and every label's probability. */
    record Prediction(String label, Map<String, Double> scores) {
        double score(String of) {
            return scores.getOrDefault(of, 0.0);
        }
    }

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final List<String> labels;
    private final JsonNode card;

    private ClassifierHead(OrtSession session, JsonNode card) throws OrtException {
        this.session = session;
        this.input = session.getInputNames().iterator().next();
        this.card = card;
        List<String> names = new ArrayList<>();
        card.get("labels").forEach(label -> names.add(label.asText()));
        this.labels = List.copyOf(names);
    }

    static ClassifierHead load(String name, ObjectMapper json) {
        String folder = "models/" + name + "/";
        try (InputStream model = resource(folder + "head.onnx");
                InputStream card = resource(folder + "model.json")) {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            return new ClassifierHead(
                    OrtEnvironment.getEnvironment().createSession(model.readAllBytes(), options), json.readTree(card));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the head " + name, e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the head " + name, e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ClassifierHead.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path");
        }
        return in;
    }

    String name() {
        return card.get("name").asText();
    }

    List<String> labels() {
        return labels;
    }

    /** model.json: what GET /api/v1/models shows of this head. */
    JsonNode card() {
        return card;
    }

    List<Prediction> predict(List<float[]> vectors) throws OrtException {
        int dimensions = vectors.getFirst().length;
        FloatBuffer flat = FloatBuffer.allocate(vectors.size() * dimensions);
        vectors.forEach(flat::put);
        flat.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, flat, new long[] {vectors.size(), dimensions});
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            float[][] probabilities = (float[][]) result.get(0).getValue();
            List<Prediction> predictions = new ArrayList<>(vectors.size());
            for (float[] row : probabilities) {
                Map<String, Double> scores = new LinkedHashMap<>();
                int best = 0;
                for (int i = 0; i < row.length; i++) {
                    scores.put(labels.get(i), Math.round(row[i] * 10_000) / 10_000.0);
                    best = row[i] > row[best] ? i : best;
                }
                predictions.add(new Prediction(labels.get(best), scores));
            }
            return predictions;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
