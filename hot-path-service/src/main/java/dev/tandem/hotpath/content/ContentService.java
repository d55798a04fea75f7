package dev.tandem.hotpath.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.api.ConflictProblem;
import dev.tandem.hotpath.api.Cursor;
import dev.tandem.hotpath.api.Idempotency;
import dev.tandem.hotpath.api.Page;
import dev.tandem.hotpath.api.ResourceNotFoundException;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.inference.Moderation;
import dev.tandem.hotpath.messaging.Outbox;
import dev.tandem.schema.events.CommentCreated;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.PostCreated;
import dev.tandem.schema.workspaces.WorkspaceAction;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the content endpoints do: reads straight from the pool (each one or two statements), writes
 * in a transaction that also holds the Idempotency-Key's record. All of it within the caller's
 * workspace. Writing needs a role that may write (a viewer may not); authors change and delete their
 * own posts and comments, the workspace's moderators (owners, admins) and Tandem's staff anyone's; a
 * post's author may also delete comments on it.
 */
@ApplicationScoped
class ContentService {

    private final Pool pool;
    private final ContentStore store;
    private final Idempotency idempotency;
    private final ObjectMapper json;
    private final Outbox outbox;
    private final Moderation moderation;

    ContentService(
            Pool pool,
            ContentStore store,
            Idempotency idempotency,
            ObjectMapper json,
            Outbox outbox,
            Moderation moderation) {
        this.outbox = outbox;
        this.moderation = moderation;
        this.pool = pool;
        this.store = store;
        this.idempotency = idempotency;
        this.json = json;
    }

    Uni<Page<PostView>> feed(Caller viewer, @Nullable Cursor after, int limit) {
        return store.recentPosts(pool, viewer.workspaceId(), after, limit + 1)
                .map(rows -> Page.of(rows, limit, ContentService::position));
    }

    /** The user and a page of their posts, with each post's first comments when asked: two statements at most. */
    Uni<UserPosts> postsOf(Caller viewer, long userId, @Nullable Cursor after, int limit, boolean withComments) {
        boolean withHeld = viewer.userId() == userId || viewer.moderates();
        return store.postsOf(pool, viewer.workspaceId(), userId, withHeld, after, limit + 1)
                .flatMap(found -> {
                    ContentStore.AuthorPage author =
                            found.orElseThrow(() -> new ResourceNotFoundException("There is no user " + userId + "."));
                    Page<PostView> page = Page.of(author.posts(), limit, ContentService::position);
                    if (!withComments || page.items().isEmpty()) {
                        return Uni.createFrom().item(new UserPosts(author.user(), page.items(), page.next()));
                    }
                    List<Long> ids = page.items().stream().map(PostView::id).toList();
                    return store.firstCommentsOf(pool, ids, ContentStore.COMMENTS_PER_POST + 1, viewer)
                            .map(comments ->
                                    new UserPosts(author.user(), withComments(page.items(), comments), page.next()));
                });
    }

    Uni<PostView> post(Caller viewer, long id) {
        return store.post(pool, id, viewer).map(found -> found.orElseThrow(() -> noPost(id)));
    }

    Uni<Page<CommentView>> comments(Caller viewer, long postId, @Nullable Cursor after, int limit) {
        return store.commentsOf(pool, postId, viewer, after, limit + 1)
                .map(found -> Page.of(
                        found.orElseThrow(() -> noPost(postId)), limit, c -> new Cursor(c.createdAt(), c.id())));
    }

    /** Judged by the models first (never inside the transaction), then written with the verdict. */
    Uni<Idempotency.Stored> createPost(Caller caller, PostInput input, @Nullable String key, String path) {
        caller.require(WorkspaceAction.WRITE_CONTENT);
        return moderation
                .judge(input.text())
                .flatMap(verdict -> write(
                        caller,
                        key,
                        path,
                        input,
                        tx -> store.insertPost(tx, caller, input.cleanTitle(), input.cleanBody(), verdict)
                                .call(post -> keepVector(tx, post.id(), verdict))
                                .call(post -> outbox.append(
                                        tx,
                                        Events.POST_CREATED,
                                        new PostCreated(
                                                post.id(),
                                                post.authorId(),
                                                post.title(),
                                                post.createdAt(),
                                                caller.workspaceId())))
                                .map(post -> created(post, "/api/v1/posts/" + post.id()))));
    }

    Uni<PostView> updatePost(Caller caller, long id, PostInput input, @Nullable Set<Long> acceptedVersions) {
        caller.require(WorkspaceAction.WRITE_CONTENT);
        return moderation
                .judge(input.text())
                .flatMap(verdict -> pool.withTransaction(tx -> store.lockPost(tx, caller.workspaceId(), id)
                        .flatMap(found -> {
                            ContentStore.Owned post = found.orElseThrow(() -> noPost(id));
                            if (!caller.mayModify(post.authorId())) {
                                throw new ForbiddenException(
                                        "Only the author (or a moderator of the workspace) may change this post.");
                            }
                            if (acceptedVersions != null && !acceptedVersions.contains(post.version())) {
                                throw new ConflictProblem(
                                        412, "The post changed since you read it (If-Match); read it again.");
                            }
                            return store.updatePost(
                                            tx,
                                            caller.workspaceId(),
                                            id,
                                            input.cleanTitle(),
                                            input.cleanBody(),
                                            verdict)
                                    .call(updated -> keepVector(tx, id, verdict));
                        })));
    }

    Uni<Void> deletePost(Caller caller, long id) {
        caller.require(WorkspaceAction.WRITE_CONTENT);
        return pool.withTransaction(tx -> store.lockPost(tx, caller.workspaceId(), id)
                .flatMap(found -> {
                    ContentStore.Owned post = found.orElseThrow(() -> noPost(id));
                    if (!caller.mayModify(post.authorId())) {
                        throw new ForbiddenException(
                                "Only the author (or a moderator of the workspace) may delete this post.");
                    }
                    return store.deletePost(tx, caller.workspaceId(), id);
                }));
    }

    Uni<Idempotency.Stored> createComment(
            Caller caller, long postId, CommentInput input, @Nullable String key, String path) {
        caller.require(WorkspaceAction.WRITE_CONTENT);
        return moderation
                .judge(input.cleanBody())
                .flatMap(verdict -> write(
                        caller,
                        key,
                        path,
                        input,
                        tx -> store.insertComment(tx, postId, caller, input.cleanBody(), verdict)
                                .map(found -> found.orElseThrow(() -> noPost(postId)))
                                .call(created -> outbox.append(
                                        tx,
                                        Events.COMMENT_CREATED,
                                        new CommentCreated(
                                                created.comment().id(),
                                                postId,
                                                created.postAuthorId(),
                                                created.comment().authorId(),
                                                created.comment().createdAt(),
                                                caller.workspaceId())))
                                .map(created -> {
                                    CommentView comment = created.comment();
                                    return created(comment, "/api/v1/comments/" + comment.id());
                                })));
    }

    Uni<Void> deleteComment(Caller caller, long id) {
        caller.require(WorkspaceAction.WRITE_CONTENT);
        return pool.withTransaction(tx -> store.lockComment(tx, caller.workspaceId(), id)
                .flatMap(found -> {
                    ContentStore.Owned comment =
                            found.orElseThrow(() -> new ResourceNotFoundException("There is no comment " + id + "."));
                    if (!caller.mayModify(comment.authorId()) && caller.userId() != comment.postAuthorId()) {
                        throw new ForbiddenException(
                                "Only the comment's author, the post's author or a moderator of the workspace may delete it.");
                    }
                    return store.deleteComment(tx, caller.workspaceId(), id);
                }));
    }

    /** The post's vector from its moderation pass, for similar posts; a pending verdict has none yet. */
    private static Uni<Void> keepVector(SqlClient tx, long postId, Moderation.Verdict verdict) {
        float[] vector = verdict.vector();
        return vector == null ? Uni.createFrom().voidItem() : PostVectors.keep(tx, postId, vector);
    }

    /** A write in one transaction, replayed instead of repeated when its Idempotency-Key was seen. */
    private Uni<Idempotency.Stored> write(
            Caller caller,
            @Nullable String key,
            String path,
            Object input,
            Function<SqlClient, Uni<Idempotency.Stored>> action) {
        return pool.withTransaction(tx -> {
            if (key == null) {
                return action.apply(tx);
            }
            byte[] fingerprint = Idempotency.fingerprint("POST", path, serialized(input));
            return idempotency.once(tx, caller, key, fingerprint, () -> action.apply(tx));
        });
    }

    private Idempotency.Stored created(Object entity, String location) {
        return new Idempotency.Stored(201, new String(serialized(entity), StandardCharsets.UTF_8), location, false);
    }

    private byte[] serialized(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static List<PostView> withComments(List<PostView> posts, Map<Long, List<CommentView>> comments) {
        List<PostView> result = new ArrayList<>(posts.size());
        for (PostView post : posts) {
            List<CommentView> all = comments.getOrDefault(post.id(), List.of());
            boolean more = all.size() > ContentStore.COMMENTS_PER_POST;
            result.add(
                    post.withComments(more ? List.copyOf(all.subList(0, ContentStore.COMMENTS_PER_POST)) : all, more));
        }
        return result;
    }

    private static Cursor position(PostView post) {
        return new Cursor(post.createdAt(), post.id());
    }

    private static ResourceNotFoundException noPost(long id) {
        return new ResourceNotFoundException("There is no post " + id + ".");
    }
}
