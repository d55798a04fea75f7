package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import dev.tandem.hotpath.messaging.TaskWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ServiceUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code inference.batch} task (docs/tasks.md): an internal service sends up to {@value
 * #MAX_TEXTS} texts for one model and gets the results back in chunks on its {@code reply_to}
 * queue as they are computed (each chunk says how far along the task is), then a final reply.
 * Texts go through the same micro-batcher as the API's, a slice at a time, so a large batch shares
 * the model with live traffic instead of taking it over; when the model is saturated the task
 * waits and tries again. Bad texts are reported in their chunk, the others computed.
 */
@ApplicationScoped
class InferenceBatch implements TaskWorker.Streaming {

    static final int MAX_TEXTS = 10_000;
    static final int MAX_CHARS = 10_000;
    static final int DEFAULT_CHUNK = 250;
    /** Texts per call to the model: well inside its queue, beside the API's requests. */
    private static final int SLICE = 32;

    private static final Duration SLICE_WAIT = Duration.ofSeconds(60);
    /**
     * Slices in the model's queue from all batch tasks together: 2 × 32 of its 512 places, so that
     * however many tasks run, API calls and moderation keep the rest.
     */
    private static final int SLICES_IN_FLIGHT = 2;

    private final java.util.concurrent.Semaphore slices = new java.util.concurrent.Semaphore(SLICES_IN_FLIGHT, true);

    private final Embeddings embeddings;
    private final Classifiers classifiers;
    private final ObjectMapper json;

    InferenceBatch(Embeddings embeddings, Classifiers classifiers, ObjectMapper json) {
        this.embeddings = embeddings;
        this.classifiers = classifiers;
        this.json = json;
    }

    @Override
    public String queue() {
        return "hot-path.tasks.inference-batch";
    }

    @Override
    public String taskType() {
        return "inference.batch";
    }

    @Override
    public String compute(String taskId, byte[] body, Consumer<String> partial) throws InterruptedException {
        JsonNode task;
        try {
            task = json.readTree(body);
        } catch (IOException e) {
            return TaskWorker.written(json, reply(json, taskId, "rejected").put("error", "the task is not JSON"));
        }
        String model = task.path("model").asText("");
        boolean embedding = model.equals(Embeddings.MODEL);
        if (!embedding && classifiers.head(model).isEmpty()) {
            return TaskWorker.written(
                    json,
                    reply(json, taskId, "rejected")
                            .put("error", "model must be " + Embeddings.MODEL + " or one of " + Classifiers.HEADS));
        }
        JsonNode texts = task.path("texts");
        if (!texts.isArray() || texts.isEmpty() || texts.size() > MAX_TEXTS) {
            return TaskWorker.written(
                    json,
                    reply(json, taskId, "rejected")
                            .put("error", "texts must be a list of 1 to " + MAX_TEXTS + " texts"));
        }
        int chunkSize = task.path("chunkSize").asInt(DEFAULT_CHUNK);
        if (chunkSize < 1 || chunkSize > 1_000) {
            return TaskWorker.written(
                    json, reply(json, taskId, "rejected").put("error", "chunkSize must be 1 to 1000"));
        }
        int total = texts.size();
        int chunks = (total + chunkSize - 1) / chunkSize;
        long deadline = System.nanoTime() + timeout().toNanos();
        int refused = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            int from = chunk * chunkSize;
            int to = Math.min(total, from + chunkSize);
            ObjectNode message = reply(json, taskId, "chunk")
                    .put("model", model)
                    .put("chunk", chunk + 1)
                    .put("chunks", chunks)
                    .put("from", from)
                    .put("done", to)
                    .put("total", total);
            ArrayNode results = message.putArray("results");
            List<Integer> indexes = new ArrayList<>();
            List<String> valid = new ArrayList<>();
            for (int i = from; i < to; i++) {
                JsonNode text = texts.get(i);
                String problem = !text.isTextual()
                        ? "must be a string"
                        : text.asText().isBlank()
                                ? "must not be blank"
                                : text.asText().length() > MAX_CHARS
                                        ? "must be at most " + MAX_CHARS + " characters"
                                        : null;
                if (problem == null) {
                    indexes.add(i);
                    valid.add(text.asText());
                } else {
                    refused++;
                    results.addObject().put("index", i).put("error", problem);
                }
            }
            for (int s = 0; s < valid.size(); s += SLICE) {
                List<String> slice = valid.subList(s, Math.min(valid.size(), s + SLICE));
                List<Integer> at = indexes.subList(s, Math.min(valid.size(), s + SLICE));
                if (embedding) {
                    List<TextEncoder.Encoded> encoded = awaitModel(
                            deadline, () -> embeddings.embed(slice).await().atMost(SLICE_WAIT));
                    for (int i = 0; i < encoded.size(); i++) {
                        ObjectNode result = results.addObject().put("index", at.get(i));
                        ArrayNode vector = result.putArray("embedding");
                        for (float v : encoded.get(i).vector()) {
                            vector.add(v);
                        }
                        result.put("truncated", encoded.get(i).truncated())
                                .put("tokens", encoded.get(i).tokens());
                    }
                } else {
                    List<Classifiers.Classified> classified = awaitModel(
                            deadline,
                            () -> classifiers
                                    .classify(slice, List.of(model))
                                    .await()
                                    .atMost(SLICE_WAIT));
                    for (int i = 0; i < classified.size(); i++) {
                        Prediction prediction = classified.get(i).predictions().get(model);
                        ObjectNode result =
                                results.addObject().put("index", at.get(i)).put("label", prediction.label());
                        ObjectNode scores = result.putObject("scores");
                        prediction.scores().forEach(scores::put);
                        result.put("truncated", classified.get(i).truncated())
                                .put("tokens", classified.get(i).tokens());
                    }
                }
            }
            sortByIndex(results);
            partial.accept(TaskWorker.written(json, message));
        }
        return TaskWorker.written(
                json,
                reply(json, taskId, "done")
                        .put("model", model)
                        .put("total", total)
                        .put("chunks", chunks)
                        .put("refused", refused));
    }

    /**
     * Calls the model with one of the batch tasks' few places in its queue; while it is loading,
     * saturated or slow, waits and calls again, until the task's deadline. Fails at once when the
     * model could not be loaded at all.
     */
    private <T> T awaitModel(long deadline, java.util.function.Supplier<T> call) throws InterruptedException {
        long backoff = 50;
        while (true) {
            if (embeddings.failure().isPresent()) {
                throw new IllegalStateException(
                        "the model could not be loaded", embeddings.failure().get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the task ran longer than " + timeout());
            }
            slices.acquire();
            try {
                return call.get();
            } catch (ServiceUnavailableException
                    | org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    | io.smallrye.mutiny.TimeoutException busy) {
                // loading, saturated or slow: try again shortly
            } finally {
                slices.release();
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 2_000);
        }
    }

    private static void sortByIndex(ArrayNode results) {
        List<JsonNode> sorted = new ArrayList<>();
        results.forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparingInt(node -> node.path("index").asInt()));
        results.removeAll();
        sorted.forEach(results::add);
    }

    @Override
    public String failedReply(String taskId, String reason) {
        return TaskWorker.written(json, reply(json, taskId, "failed").put("error", reason));
    }
}
