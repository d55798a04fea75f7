package dev.tandem.core.bench;

import dev.tandem.schema.auth.AccessTokenClaims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * bench/'s two reads on core-app ({@code /api/bench/...}, profile {@code bench} only; a profile is
 * public, posts need an access token with {@code content:read} and are those of its workspace
 * {@code wid}, as on hot-path), with
 * what hot-path's {@code /api/v1/users/{id}} and {@code /api/v1/users/{id}/posts?include=comments}
 * answer, in the same JSON shape: the public profile; the user, their newest 20 posts that are not
 * held (each with its first 10 comments, whether there are more, its version and moderation) and
 * the next page's cursor. Spring MVC on virtual threads, Spring Data JPA.
 */
@RestController
@Profile("bench")
class BenchController {

    static final int PAGE = 20;
    static final int COMMENTS_PER_POST = 10;

    record UserView(long id, String displayName, Instant createdAt) {}

    record ModerationView(
            String state,
            @Nullable String language,
            @Nullable Float sentiment) {}

    record CommentView(
            long id,
            long postId,
            long authorId,
            String authorName,
            String body,
            Instant createdAt,
            Instant updatedAt,
            long version,
            ModerationView moderation) {}

    record PostView(
            long id,
            long authorId,
            String authorName,
            String title,
            String body,
            Instant createdAt,
            Instant updatedAt,
            long version,
            ModerationView moderation,
            List<CommentView> comments,
            boolean moreComments) {}

    /** Like hot-path's page: the user, the posts, and the cursor of the next page (null on the last). */
    record PostsView(
            UserView user, List<PostView> items, @Nullable String next) {}

    private final BenchRepository repository;

    BenchController(BenchRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/api/bench/users/{id}")
    @Transactional(readOnly = true)
    UserView user(@PathVariable long id) {
        return view(find(id));
    }

    @GetMapping("/api/bench/users/{id}/posts")
    @Transactional(readOnly = true)
    PostsView posts(@PathVariable long id, @AuthenticationPrincipal Jwt token) {
        // In the token's workspace, as hot-path: a user of another workspace is not found.
        long workspace = ((Number) token.getClaims().get(AccessTokenClaims.WORKSPACE)).longValue();
        BenchUser user = repository.visibleMember(id, workspace).stream()
                .findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no user " + id + "."));
        // One more than a page, as hot-path: whether there is a next page.
        List<BenchPost> found = repository.newestPosts(id, workspace, Limit.of(PAGE + 1));
        List<BenchPost> posts = found.size() > PAGE ? found.subList(0, PAGE) : found;
        Map<Long, List<CommentView>> comments = new LinkedHashMap<>();
        if (!posts.isEmpty()) {
            Long[] ids = posts.stream().map(BenchPost::id).toArray(Long[]::new);
            for (BenchRepository.CommentRow row : repository.firstComments(ids, COMMENTS_PER_POST + 1)) {
                comments.computeIfAbsent(row.getPostId(), post -> new ArrayList<>())
                        .add(new CommentView(
                                row.getId(),
                                row.getPostId(),
                                row.getAuthorId(),
                                row.getAuthorName(),
                                row.getBody(),
                                row.getCreatedAt(),
                                row.getUpdatedAt(),
                                row.getVersion(),
                                new ModerationView(row.getModeration(), row.getLanguage(), row.getSentiment())));
            }
        }
        List<PostView> items = posts.stream()
                .map(post -> {
                    List<CommentView> all = comments.getOrDefault(post.id(), List.of());
                    boolean more = all.size() > COMMENTS_PER_POST;
                    return new PostView(
                            post.id(),
                            post.author().id(),
                            post.author().displayName(),
                            post.title(),
                            post.body(),
                            post.createdAt(),
                            post.updatedAt(),
                            post.version(),
                            new ModerationView(post.moderation(), post.language(), post.sentiment()),
                            more ? all.subList(0, COMMENTS_PER_POST) : all,
                            more);
                })
                .toList();
        String next = found.size() > PAGE
                ? posts.getLast().createdAt() + "~" + posts.getLast().id()
                : null;
        return new PostsView(view(user), items, next);
    }

    private static UserView view(BenchUser user) {
        return new UserView(user.id(), user.displayName(), user.createdAt());
    }

    private BenchUser find(long id) {
        return repository.visibleUser(id).stream()
                .findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no user " + id + "."));
    }
}
