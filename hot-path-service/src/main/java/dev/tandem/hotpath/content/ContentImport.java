package dev.tandem.hotpath.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.inference.Moderation;
import dev.tandem.hotpath.messaging.Outbox;
import dev.tandem.hotpath.messaging.TaskWorker;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.PostCreated;
import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
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
 * account into a workspace it may write in ({@code workspaceId}; by default its personal one), up
 * to 1 000 at once. Each item is checked as the API checks a new post; the good ones
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
        JsonNode workspace = task.path("workspaceId");
        if (!workspace.isMissingNode()
                && !workspace.isNull()
                && (!workspace.canConvertToLong() || workspace.asLong() < 1)) {
            return Uni.createFrom().item(rejected(taskId, "workspaceId must be a workspace id"));
        }
        long userId = task.path("userId").asLong();
        Long workspaceId = workspace.canConvertToLong() ? workspace.asLong() : null;
        // The account, and its role in the workspace named (else its personal one) if that is open.
        return tx.preparedQuery("select u.status, w.id as workspace_id, m.role from users u"
                        + " left join workspaces w on w.id = coalesce($2, (select p.id from workspaces p"
                        + " where p.personal_for = u.id)) and w.deleted_at is null"
                        + " left join workspace_members m on m.workspace_id = w.id and m.user_id = u.id"
                        + " where u.id = $1")
                .execute(Tuple.of(userId, workspaceId))
                .flatMap(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    if (row == null || !"ACTIVE".equals(row.getString("status"))) {
                        return Uni.createFrom()
                                .item(rejected(taskId, "account " + userId + " is not an active account"));
                    }
                    WorkspaceRole role = row.getString("role") == null
                            ? null
                            : WorkspaceRole.parse(row.getString("role")).orElse(null);
                    if (role == null || !role.may(WorkspaceAction.WRITE_CONTENT)) {
                        return Uni.createFrom()
                                .item(rejected(
                                        taskId,
                                        "account " + userId + " may not write in "
                                                + (workspaceId == null
                                                        ? "its personal workspace"
                                                        : "workspace " + workspaceId)));
                    }
                    Caller author = new Caller(userId, row.getLong("workspace_id"), role, false);
                    ObjectNode reply =
                            reply(json, taskId, "done").put("userId", userId).put("workspaceId", author.workspaceId());
                    ArrayNode results = reply.putArray("items");
                    return Multi.createFrom()
                            .range(0, items.size())
                            .onItem()
                            .transformToUniAndConcatenate(index -> item(tx, author, index, items.get(index)))
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
    private Uni<ObjectNode> item(SqlClient tx, Caller author, int index, JsonNode item) {
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
        return store.insertPost(tx, author, input.cleanTitle(), input.cleanBody(), Moderation.Verdict.pending())
                .call(post -> outbox.append(
                        tx,
                        Events.POST_CREATED,
                        new PostCreated(
                                post.id(), post.authorId(), post.title(), post.createdAt(), author.workspaceId())))
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
