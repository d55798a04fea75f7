package dev.tandem.hotpath.inference;

import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Moderation on write: a post's or comment's language (OpenNLP), sentiment and spam scores (the
 * heads), and whether it is held for review: spam score at or above {@code
 * tandem.moderation.hold-spam-at}, and at least {@code tandem.moderation.hold-min-words} words (the
 * spam head learnt from emails, and on a few words it takes greetings for spam: "Hello world"
 * scores 0.9995; its score is still stored). Never fails a write: when the models are loading,
 * busy or slow, the verdict is {@code pending} and a sweeper scores the row later.
 */
@ApplicationScoped
public class Moderation {

    /** A text's verdict, as stored beside it, and the text's vector (null when pending). */
    public record Verdict(
            String state,
            @Nullable String language,
            @Nullable Double sentiment,
            @Nullable Double spam,
            float @Nullable [] vector) {

        public static final String VISIBLE = "visible";
        public static final String HELD = "held";
        public static final String PENDING = "pending";

        public static Verdict pending() {
            return new Verdict(PENDING, null, null, null, null);
        }

        public boolean scored() {
            return !PENDING.equals(state);
        }
    }

    private static final Logger log = Logger.getLogger(Moderation.class);
    /** Texts shorter than this get no language: the guess would be noise. */
    private static final int MIN_LANGUAGE_CHARS = 20;

    private static final int LANGUAGE_CHARS = 1_000;
    /** Texts per call to the models: well inside the queue, so a bulk sweep never saturates it. */
    static final int CHUNK = 32;

    private final Classifiers classifiers;
    private final LanguageDetectorModel languages;
    private final double holdSpamAt;
    private final int holdMinWords;
    private final Duration wait;

    Moderation(
            Classifiers classifiers,
            @ConfigProperty(name = "tandem.moderation.hold-spam-at") double holdSpamAt,
            @ConfigProperty(name = "tandem.moderation.hold-min-words") int holdMinWords,
            @ConfigProperty(name = "tandem.moderation.wait") Duration wait) {
        this.classifiers = classifiers;
        this.holdSpamAt = holdSpamAt;
        this.holdMinWords = holdMinWords;
        this.wait = wait;
        try (InputStream model = Moderation.class.getClassLoader().getResourceAsStream("langdetect-183.bin")) {
            if (model == null) {
                throw new IOException("langdetect-183.bin is not on the class path");
            }
            this.languages = new LanguageDetectorModel(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the language model", e);
        }
    }

    /** The verdict on one text; pending when the models do not answer within {@code tandem.moderation.wait}. */
    public Uni<Verdict> judge(String text) {
        return judgeAll(List.of(text)).map(List::getFirst);
    }

    /** Verdicts on many texts, in order, in chunks; pending for all when the models do not answer. */
    public Uni<List<Verdict>> judgeAll(List<String> texts) {
        List<Uni<List<Verdict>>> chunks = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += CHUNK) {
            chunks.add(judgeChunk(texts.subList(from, Math.min(texts.size(), from + CHUNK))));
        }
        if (chunks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join()
                .all(chunks)
                .andFailFast()
                .map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    private Uni<List<Verdict>> judgeChunk(List<String> texts) {
        return Uni.createFrom()
                .deferred(() -> classifiers.classify(texts, List.of("sentiment", "spam")))
                .ifNoItem()
                .after(wait)
                .fail()
                .map(classified -> {
                    List<Verdict> verdicts = new ArrayList<>(texts.size());
                    for (int i = 0; i < texts.size(); i++) {
                        Prediction sentiment = classified.get(i).predictions().get("sentiment");
                        Prediction spam = classified.get(i).predictions().get("spam");
                        double spamScore = spam.score("spam");
                        boolean held = spamScore >= holdSpamAt && words(texts.get(i)) >= holdMinWords;
                        verdicts.add(new Verdict(
                                held ? Verdict.HELD : Verdict.VISIBLE,
                                language(texts.get(i)),
                                sentiment.score("positive"),
                                spamScore,
                                classified.get(i).vector()));
                    }
                    return verdicts;
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    log.debugf("moderation deferred for %d texts: %s", texts.size(), failure.toString());
                    return texts.stream().map(text -> Verdict.pending()).toList();
                });
    }

    private static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    /** The ISO 639-3 code of the text's language, or null when it is too short to tell. */
    @Nullable
    String language(String text) {
        String sample = text.strip();
        if (sample.length() < MIN_LANGUAGE_CHARS) {
            return null;
        }
        Language best = new LanguageDetectorME(languages)
                .predictLanguage(sample.length() > LANGUAGE_CHARS ? sample.substring(0, LANGUAGE_CHARS) : sample);
        return best.getLang().matches("[a-z]{3}") ? best.getLang() : null;
    }
}
