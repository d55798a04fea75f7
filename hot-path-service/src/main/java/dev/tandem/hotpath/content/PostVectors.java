package dev.tandem.hotpath.content;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/** Posts' vectors in {@code post_embeddings}: 384 little-endian float32 numbers per post. */
final class PostVectors {

    static final String MODEL = dev.tandem.hotpath.inference.Embeddings.MODEL;

    private PostVectors() {}

    /** Keeps (or replaces) the post's vector, in the caller's transaction. */
    static Uni<Void> keep(SqlClient sql, long postId, float[] vector) {
        return sql.preparedQuery("insert into post_embeddings (post_id, model, embedding) values ($1, $2, $3)"
                        + " on conflict (post_id) do update set model = excluded.model,"
                        + " embedding = excluded.embedding, updated_at = now()")
                .execute(Tuple.of(postId, MODEL, Buffer.buffer(bytes(vector))))
                .replaceWithVoid();
    }

    static Uni<Optional<float[]>> find(SqlClient sql, long postId) {
        return sql.preparedQuery("select embedding from post_embeddings where post_id = $1")
                .execute(Tuple.of(postId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(vector(
                                rows.iterator().next().getBuffer("embedding").getBytes())));
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] vector(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
