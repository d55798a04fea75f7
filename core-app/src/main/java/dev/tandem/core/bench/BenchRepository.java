package dev.tandem.core.bench;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.NativeQuery;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/**
 * The bench's queries, as Spring Data JPA: the user; the first page of their posts with the author
 * fetch-joined; and each post's first comments with their authors' names, a "first N per post"
 * that JPQL cannot say, so a native query (a lateral join, as hot-path's) into a projection.
 */
interface BenchRepository extends Repository<BenchUser, Long> {

    /** A comment as the page shows it. */
    interface CommentRow {
        long getId();

        long getPostId();

        long getAuthorId();

        String getAuthorName();

        String getBody();

        Instant getCreatedAt();

        Instant getUpdatedAt();

        long getVersion();

        String getModeration();

        @Nullable
        String getLanguage();

        @Nullable
        Float getSentiment();
    }

    @Query("select u from BenchUser u where u.id = :id and u.status in ('ACTIVE', 'PENDING')")
    List<BenchUser> visibleUser(@Param("id") long id);

    /** The user, if a member of the workspace (as hot-path answers: another workspace's user is not found). */
    @NativeQuery("""
            select u.* from users u where u.id = :id and u.status in ('ACTIVE', 'PENDING')
              and exists (select 1 from workspace_members m where m.workspace_id = :workspace and m.user_id = u.id)
            """)
    List<BenchUser> visibleMember(@Param("id") long id, @Param("workspace") long workspace);

    @Query("select p from BenchPost p join fetch p.author a where a.id = :author and p.workspaceId = :workspace"
            + " and p.moderation <> 'held' order by p.createdAt desc, p.id desc")
    List<BenchPost> newestPosts(@Param("author") long author, @Param("workspace") long workspace, Limit limit);

    @NativeQuery("""
            select c.id as id, c.post_id as postId, c.author_id as authorId, a.display_name as authorName,
                   c.body as body, c.created_at as createdAt, c.updated_at as updatedAt, c.version as version,
                   c.moderation as moderation, c.language as language, c.sentiment as sentiment
            from unnest(cast(:posts as bigint[])) as wanted(post_id)
            cross join lateral (
                select * from comments c where c.post_id = wanted.post_id and c.moderation <> 'held'
                  and c.author_id in (select id from users where status in ('ACTIVE', 'PENDING'))
                order by c.created_at, c.id limit :perPost) c
            join users a on a.id = c.author_id
            order by c.post_id, c.created_at, c.id
            """)
    List<CommentRow> firstComments(@Param("posts") Long[] posts, @Param("perPost") int perPost);
}
