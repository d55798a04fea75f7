package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A head's cheap lexical fallback: a multinomial naive Bayes over words, trained by {@code
 * TrainHeads} on the same texts as the head ({@code models/<name>/lexicon.json}). It needs no
 * encoder, so it answers in microseconds when the encoder is saturated or loading; it is less
 * accurate (its held-out accuracy is in the file and in {@code GET /api/v1/models}).
 */
final class Lexicon {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']{2,}");

    private final List<String> labels;
    private final double[] logPrior;
    private final Map<String, double[]> logLikelihood;
    private final double heldOutAccuracy;

    private Lexicon(List<String> labels, double[] logPrior, Map<String, double[]> logLikelihood, double accuracy) {
        this.labels = labels;
        this.logPrior = logPrior;
        this.logLikelihood = logLikelihood;
        this.heldOutAccuracy = accuracy;
    }

    /** The words of a text as the lexicon counts them: lower case, letters and digits, two or more. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        var matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return words;
    }

    static Lexicon load(String name, ObjectMapper json) {
        String file = "models/" + name + "/lexicon.json";
        try (InputStream in = Lexicon.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException(file + " is not on the class path");
            }
            return parse(json.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lexicon of " + name, e);
        }
    }

    /** From a file (the trainer measures what it wrote). */
    static Lexicon loadFrom(java.nio.file.Path file) throws IOException {
        return parse(new ObjectMapper().readTree(file.toFile()));
    }

    private static Lexicon parse(JsonNode lexicon) {
        {
            List<String> labels = new ArrayList<>();
            lexicon.get("labels").forEach(label -> labels.add(label.asText()));
            double[] prior = new double[labels.size()];
            for (int i = 0; i < prior.length; i++) {
                prior[i] = lexicon.get("logPrior").get(i).asDouble();
            }
            Map<String, double[]> words = new HashMap<>();
            lexicon.get("words").properties().forEach(entry -> {
                double[] values = new double[labels.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = entry.getValue().get(i).asDouble();
                }
                words.put(entry.getKey(), values);
            });
            return new Lexicon(
                    List.copyOf(labels),
                    prior,
                    words,
                    lexicon.get("heldOutAccuracy").asDouble());
        }
    }

    double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    Prediction predict(String text) {
        double[] score = logPrior.clone();
        for (String word : words(text)) {
            double[] likelihood = logLikelihood.get(word);
            if (likelihood != null) {
                for (int i = 0; i < score.length; i++) {
                    score[i] += likelihood[i];
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double s : score) {
            max = Math.max(max, s);
        }
        double sum = 0;
        double[] probability = new double[score.length];
        for (int i = 0; i < score.length; i++) {
            probability[i] = Math.exp(score[i] - max);
            sum += probability[i];
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < probability.length; i++) {
            scores.put(labels.get(i), Math.round(probability[i] / sum * 10_000) / 10_000.0);
            best = probability[i] > probability[best] ? i : best;
        }
        return new Prediction(labels.get(best), scores);
    }
}
