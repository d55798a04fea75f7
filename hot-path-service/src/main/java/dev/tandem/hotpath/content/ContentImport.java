package dev.tandem.hotpath.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.hotpath.inference.Moderation;
import dev.tandem.hotpath.messaging.Outbox;
import dev.tandem.hotpath.messaging.TaskWorker;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.PostCreated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.Comparator;
import java.util.Set;

/**
 * The {@code content.import} task (docs/tasks.md): an internal service imports posts for an
 * account, up to 1 000 at once. Each item is checked as the API checks a new post; the good ones
 * are created (with their {@code post.created} events) in the task's transaction, the bad ones are
 * refused with their errors, and the reply lists every item's result by its {@code ref}. A task
 * that cannot be run at all (not JSON, no such active account, no items or too many) is answered
 * {@code rejected} and creates nothing. Imported posts are stored {@code pending}: the moderation
 * sweeper scores them in chunks (docs/inference.md), so a large import never waits on the models.
 */
@ApplicationScoped
class ContentImport implements TaskWorker.Transactional {

    static final int MAX_ITEMS = 1000;

    private final ContentStore store;
    private final Outbox outbox;
    private final Validator validator;
    private final ObjectMapper json;

    ContentImport(ContentStore store, Outbox outbox, Validator validator, ObjectMapper json) {
        this.store = store;
        this.outbox = outbox;
        this.validator = validator;
        this.json = json;
    }

    @Override
    public String queue() {
        return "hot-path.tasks.content-import";
    }

    @Override
    public String taskType() {
        return "content.import";
    }

    @Override
    public Uni<String> run(SqlClient tx, String taskId, byte[] body) {
        JsonNode task;
        try {
            task = json.readTree(body);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(rejected(taskId, "the task is not JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return Uni.createFrom().item(rejected(taskId, "the task is not JSON: " + e.getMessage()));
        }
        JsonNode items = task.path("items");
        if (!task.path("userId").canConvertToLong() || task.path("userId").asLong() < 1) {
            return Uni.createFrom().item(rejected(taskId, "userId must be an account id"));
        }
        if (!items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            return Uni.createFrom().item(rejected(taskId, "items must be a list of 1 to " + MAX_ITEMS + " posts"));
        }
        long userId = task.path("userId").asLong();
        return tx.preparedQuery("select status from users where id = $1")
                .execute(Tuple.of(userId))
                .flatMap(rows -> {
                    String status =
                            rows.size() == 0 ? null : rows.iterator().next().getString("status");
                    if (!"ACTIVE".equals(status)) {
                        return Uni.createFrom()
                                .item(rejected(taskId, "account " + userId + " is not an active account"));
                    }
                    ObjectNode reply = reply(json, taskId, "done").put("userId", userId);
                    ArrayNode results = reply.putArray("items");
                    return Multi.createFrom()
                            .range(0, items.size())
                            .onItem()
                            .transformToUniAndConcatenate(index -> item(tx, userId, index, items.get(index)))
                            .collect()
                            .in(() -> results, ArrayNode::add)
                            .map(done -> {
                                long created = 0;
                                for (JsonNode result : results) {
                                    created += "created"
                                                    .equals(result.path("status")
                                                            .asText())
                                            ? 1
                                            : 0;
                                }
                                reply.put("created", created).put("refused", results.size() - created);
                                return TaskWorker.written(json, reply);
                            });
                });
    }

    /** One item: created (with its event) or refused with its errors. */
    private Uni<ObjectNode> item(SqlClient tx, long userId, int index, JsonNode item) {
        ObjectNode result = json.createObjectNode();
        result.put("ref", item.path("ref").isTextual() ? item.path("ref").asText() : "#" + index);
        String title = item.path("title").isTextual() ? item.path("title").asText() : null;
        String body = item.path("body").isTextual() ? item.path("body").asText() : null;
        PostInput input = new PostInput(title, body);
        Set<ConstraintViolation<PostInput>> violations = validator.validate(input);
        if (!violations.isEmpty()) {
            ArrayNode errors = result.put("status", "refused").putArray("errors");
            violations.stream()
                    .sorted(Comparator.comparing(
                            violation -> violation.getPropertyPath().toString()))
                    .forEach(violation -> errors.addObject()
                            .put("field", violation.getPropertyPath().toString())
                            .put("detail", violation.getMessage()));
            return Uni.createFrom().item(result);
        }
        return store.insertPost(tx, userId, input.cleanTitle(), input.cleanBody(), Moderation.Verdict.pending())
                .call(post -> outbox.append(
                        tx,
                        Events.POST_CREATED,
                        new PostCreated(post.id(), post.authorId(), post.title(), post.createdAt())))
                .map(post -> result.put("status", "created").put("postId", post.id()));
    }

    @Override
    public String failedReply(String taskId, String reason) {
        return TaskWorker.written(json, reply(json, taskId, "failed").put("error", reason));
    }

    private String rejected(String taskId, String reason) {
        return TaskWorker.written(json, reply(json, taskId, "rejected").put("error", reason));
    }
}
