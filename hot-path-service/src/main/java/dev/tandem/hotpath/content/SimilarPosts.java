package dev.tandem.hotpath.content;

import dev.tandem.hotpath.api.ResourceNotFoundException;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.inference.Embeddings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Similar posts: an exact nearest-neighbour search (dot product of unit vectors, i.e. cosine) over
 * an in-memory index of the most recently written or edited {@code tandem.similar.index-size}
 * posts. vectors (50 000 by default: 77 MB of floats, a scan of about 17 ms on one core here). Each
 * instance keeps its own index, fills it from {@code post_embeddings} at start, and catches up
 * every few seconds (new posts from any instance, edits). Candidates are then read through the
 * normal visibility rules (held posts, closed accounts, deleted posts drop out). Older posts are
 * not searched: at millions of posts this wants an ANN index (pgvector's HNSW) instead.
 */
@ApplicationScoped
class SimilarPosts {

    private final Pool pool;
    private final ContentStore store;
    private final Embeddings embeddings;
    private final int capacity;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // post id -> its workspace and vector, in order of writing: the eldest leaves when the index is full.
    private final LinkedHashMap<Long, Indexed> index;
    private volatile OffsetDateTime seenUpTo = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    SimilarPosts(
            Pool pool,
            ContentStore store,
            Embeddings embeddings,
            MeterRegistry meters,
            @ConfigProperty(name = "tandem.similar.index-size") int capacity) {
        this.pool = pool;
        this.store = store;
        this.embeddings = embeddings;
        this.capacity = capacity;
        this.index = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Indexed> eldest) {
                return size() > SimilarPosts.this.capacity;
            }
        };
        Gauge.builder("tandem.similar.index.size", this, SimilarPosts::size)
                .description("Posts in the similar-posts index")
                .register(meters);
    }

    boolean contains(long postId) {
        lock.readLock().lock();
        try {
            return index.containsKey(postId);
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return index.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads the vectors written since the last look (at start: the newest ones, up to the capacity). */
    @Scheduled(every = "${tandem.similar.refresh-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> catchUp() {
        // updated_at is when a row's transaction began, and transactions commit out of order: read
        // again the last minute's rows each time, so a late commit is never skipped.
        return pool.preparedQuery("select newest.post_id, p.workspace_id, newest.embedding, newest.updated_at"
                        + " from (select post_id, embedding, updated_at from post_embeddings"
                        + " where updated_at > $1::timestamptz - interval '1 minute'"
                        + " order by updated_at desc, post_id desc limit $2) newest join posts p on p.id = newest.post_id"
                        + " order by newest.updated_at, newest.post_id")
                .execute(Tuple.of(seenUpTo, capacity))
                .emitOn(Infrastructure.getDefaultWorkerPool()) // decoding and the write lock: not on an event loop
                .map(rows -> {
                    List<Map.Entry<Long, Indexed>> read = new ArrayList<>(rows.size());
                    OffsetDateTime newest = seenUpTo;
                    for (Row row : rows) {
                        read.add(Map.entry(
                                row.getLong("post_id"),
                                new Indexed(
                                        row.getLong("workspace_id"),
                                        PostVectors.vector(
                                                row.getBuffer("embedding").getBytes()))));
                        newest = row.getOffsetDateTime("updated_at");
                    }
                    lock.writeLock().lock();
                    try {
                        for (Map.Entry<Long, Indexed> entry : read) {
                            index.remove(entry.getKey()); // an edit moves the post to the newest end
                            index.put(entry.getKey(), entry.getValue());
                        }
                        seenUpTo = newest;
                    } finally {
                        lock.writeLock().unlock();
                    }
                    return read.size();
                })
                .replaceWithVoid();
    }

    /** The posts most like this one that the viewer may see, best first, with their similarity. */
    Uni<List<SimilarPost>> similarTo(Caller viewer, long postId, int limit) {
        return store.post(pool, postId, viewer)
                .map(found ->
                        found.orElseThrow(() -> new ResourceNotFoundException("There is no post " + postId + ".")))
                .flatMap(post -> vectorOf(post))
                .emitOn(Infrastructure.getDefaultWorkerPool()) // the scan is CPU work: never on an event loop
                .map(vector -> nearest(viewer.workspaceId(), vector, postId, limit * 5 + 20)) // room for held ones
                .flatMap(candidates -> store.posts(pool, viewer.workspaceId(), new ArrayList<>(candidates.keySet()))
                        .map(posts -> posts.stream()
                                .map(post -> new SimilarPost(post, candidates.get(post.id())))
                                .sorted((a, b) -> Double.compare(b.similarity(), a.similarity()))
                                .limit(limit)
                                .toList()));
    }

    /** The stored vector; a post written before vectors were kept gets one now. */
    private Uni<float[]> vectorOf(PostView post) {
        return PostVectors.find(pool, post.id())
                .flatMap(found -> found.isPresent()
                        ? Uni.createFrom().item(found.get())
                        : embeddings
                                .vector(post.title() + "\n\n" + post.body())
                                .call(vector -> PostVectors.keep(pool, post.id(), vector)));
    }

    /**
     * The ids of the {@code k} indexed posts of the workspace nearest to the vector (not the post
     * itself), with their scores. Other workspaces' posts are passed over in the scan, never
     * returned: a workspace's answer depends on its own posts only.
     */
    Map<Long, Double> nearest(long workspaceId, float[] vector, long exclude, int k) {
        PriorityQueue<Map.Entry<Long, Double>> best = new PriorityQueue<>(k + 1, Map.Entry.comparingByValue());
        lock.readLock().lock();
        try {
            for (Map.Entry<Long, Indexed> entry : index.entrySet()) {
                Indexed indexed = entry.getValue();
                if (entry.getKey() == exclude || indexed.workspaceId() != workspaceId) {
                    continue;
                }
                float[] other = indexed.vector();
                double dot = 0;
                for (int i = 0; i < other.length; i++) {
                    dot += vector[i] * other[i];
                }
                if (best.size() < k) {
                    best.add(Map.entry(entry.getKey(), dot));
                } else if (dot > best.peek().getValue()) {
                    best.poll();
                    best.add(Map.entry(entry.getKey(), dot));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        Map<Long, Double> result = new LinkedHashMap<>();
        best.stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
                .forEach(entry -> result.put(entry.getKey(), Math.round(entry.getValue() * 10_000) / 10_000.0));
        return result;
    }

    /** An indexed post's workspace and unit vector. */
    private record Indexed(long workspaceId, float[] vector) {}

    /** A post like another, and how alike they are. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "SimilarPost")
    record SimilarPost(
            PostView post,

            @org.eclipse.microprofile.openapi.annotations.media.Schema(
                    description = "Cosine similarity of the two posts' vectors, -1 to 1.",
                    examples = "0.83")
            double similarity) {}

    /** The answer of GET /posts/{id}/similar. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "SimilarPostList")
    record SimilarPostList(List<SimilarPost> items) {}
}
