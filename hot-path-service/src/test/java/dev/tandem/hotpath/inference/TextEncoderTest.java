package dev.tandem.hotpath.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.inference.TextEncoder.Encoded;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The encoder on its own: offline, the same vectors as an independent implementation, batching changes nothing. */
class TextEncoderTest {

    private static TextEncoder encoder;

    /**
     * Offline: every HTTP(S) connection of this JVM goes to a proxy on a closed port while the model
     * loads, so a download attempt (DJL fetching a tokenizer library, say) would fail the load.
     */
    @BeforeAll
    static void load() {
        System.setProperty("ai.djl.offline", "true");
        String[] proxies = {"http.proxyHost", "http.proxyPort", "https.proxyHost", "https.proxyPort"};
        String[] saved = new String[proxies.length];
        for (int i = 0; i < proxies.length; i++) {
            saved[i] = System.getProperty(proxies[i]);
            System.setProperty(proxies[i], i % 2 == 0 ? "127.0.0.1" : "9");
        }
        try {
            encoder = TextEncoder.load(Embeddings.MODEL_FILE, Embeddings.TOKENIZER_FILE, 256, 2);
        } finally {
            for (int i = 0; i < proxies.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(proxies[i]);
                } else {
                    System.setProperty(proxies[i], saved[i]);
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
    }

    @Test
    void givesTheRecordedReferenceVectors() throws Exception {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/inference/bge-small-reference.json")) {
            reference = new ObjectMapper().readTree(in).get("items");
        }
        List<String> texts = new ArrayList<>();
        reference.forEach(item -> texts.add(item.get("text").asText()));

        List<Encoded> encoded = new ArrayList<>();
        for (String text : texts) {
            encoded.add(encoder.encode(List.of(text)).getFirst());
        }
        List<Encoded> batched = encoder.encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            System.out.printf(
                    "BATCHCOS %s %.6f%n",
                    texts.get(i), dot(encoded.get(i).vector(), batched.get(i).vector()));
        }

        assertThat(encoded).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            JsonNode expected = reference.get(i).get("vector");
            float[] actual = encoded.get(i).vector();
            assertThat(actual).hasSize(384);
            double dot = 0;
            for (int d = 0; d < actual.length; d++) {
                assertThat((double) actual[d])
                        .as("%s [%d]", texts.get(i), d)
                        .isCloseTo(expected.get(d).asDouble(), within(2e-3));
                dot += actual[d] * expected.get(d).asDouble();
            }
            assertThat(dot).as("cosine with the reference for %s", texts.get(i)).isGreaterThan(0.9995);
        }
    }

    /**
     * Nearly the same: the int8 model quantizes its activations per tensor, with a scale taken over
     * the whole batch, so a text's companions (and their padding) move its vector a little. Measured
     * here: cosine 0.994 to 0.998 with the text alone; rankings by similarity do not change.
     */
    @Test
    void aTextGetsNearlyTheSameVectorAloneAndInABatchOfLongerTexts() throws Exception {
        String shortText = "Short.";
        String longText = "A much longer sentence about databases, brokers, queues and two services that share"
                + " a schema, which makes every other text in its batch padded to its length.";

        float[] alone = encoder.encode(List.of(shortText)).getFirst().vector();
        float[] batched =
                encoder.encode(List.of(longText, shortText, longText)).get(1).vector();

        assertThat(dot(alone, batched)).isGreaterThan(0.99);
    }

    @Test
    void vectorsHaveUnitLengthAndMeaning() throws Exception {
        List<Encoded> encoded = encoder.encode(List.of(
                "The weather is lovely today.", "It is sunny and warm outside.", "My invoice was charged twice."));

        for (Encoded one : encoded) {
            assertThat(dot(one.vector(), one.vector())).isCloseTo(1.0, within(1e-4));
        }
        double paraphrase = dot(encoded.get(0).vector(), encoded.get(1).vector());
        double unrelated = dot(encoded.get(0).vector(), encoded.get(2).vector());
        assertThat(paraphrase).isGreaterThan(unrelated + 0.1);
    }

    @Test
    void longTextsAreCutAtTheTokenCapAndSaySo() throws Exception {
        String tooLong = "word ".repeat(1_000);

        Encoded cut = encoder.encode(List.of(tooLong)).getFirst();
        Encoded whole = encoder.encode(List.of("four words right here")).getFirst();

        assertThat(cut.tokens()).isEqualTo(256);
        assertThat(cut.truncated()).isTrue();
        assertThat(whole.tokens()).isEqualTo(6); // [CLS] four words right here [SEP]
        assertThat(whole.truncated()).isFalse();
        assertThat(encoder.tokens(tooLong)).isEqualTo(256);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
