package dev.tandem.hotpath.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed heads still do what their model cards say: each one's accuracy on its held-out
 * texts (set aside by TrainHeads, never trained on) is the recorded one.
 */
class HeadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TextEncoder encoder;

    @BeforeAll
    static void load() {
        System.setProperty("ai.djl.offline", "true");
        encoder = TextEncoder.load(Embeddings.MODEL_FILE, Embeddings.TOKENIZER_FILE, 256, 2);
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sentiment", "spam"})
    void reproducesItsRecordedHeldOutAccuracy(String name) throws Exception {
        JsonNode heldOut;
        try (InputStream in =
                new GZIPInputStream(getClass().getResourceAsStream("/models/" + name + "/held-out.json.gz"))) {
            heldOut = JSON.readTree(in);
        }
        try (ClassifierHead head = ClassifierHead.load(name, JSON)) {
            double recorded = head.card().get("metrics").get("heldOutAccuracy").asDouble();
            int right = 0;
            for (int from = 0; from < heldOut.size(); from += 32) {
                List<String> texts = new ArrayList<>();
                List<String> labels = new ArrayList<>();
                for (int i = from; i < Math.min(heldOut.size(), from + 32); i++) {
                    texts.add(heldOut.get(i).get("text").asText());
                    labels.add(heldOut.get(i).get("label").asText());
                }
                List<float[]> vectors = encoder.encode(texts).stream()
                        .map(TextEncoder.Encoded::vector)
                        .toList();
                List<Prediction> predictions = head.predict(vectors);
                for (int i = 0; i < predictions.size(); i++) {
                    Prediction prediction = predictions.get(i);
                    assertThat(prediction.scores().values().stream()
                                    .mapToDouble(Double::doubleValue)
                                    .sum())
                            .isCloseTo(1.0, within(1e-3));
                    if (prediction.label().equals(labels.get(i))) {
                        right++;
                    }
                }
            }
            double accuracy = (double) right / heldOut.size();
            assertThat(heldOut.size()).isEqualTo(TrainHeads.HELD_OUT);
            // Within one or two texts: batch companions move vectors a little (docs/inference.md).
            assertThat(accuracy).as("held-out accuracy of %s", name).isCloseTo(recorded, within(0.004));
            assertThat(accuracy).isGreaterThan(0.9);

            // Its lexical fallback reproduces its recorded accuracy exactly (no batching in it).
            Lexicon lexicon = Lexicon.load(name, JSON);
            int lexicallyRight = 0;
            for (JsonNode item : heldOut) {
                if (lexicon.predict(item.get("text").asText())
                        .label()
                        .equals(item.get("label").asText())) {
                    lexicallyRight++;
                }
            }
            assertThat((double) lexicallyRight / heldOut.size())
                    .isCloseTo(lexicon.heldOutAccuracy(), within(0.0001))
                    .isGreaterThan(0.8);
        }
    }
}
