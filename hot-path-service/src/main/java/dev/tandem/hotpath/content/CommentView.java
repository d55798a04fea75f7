package dev.tandem.hotpath.content;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Comment", description = "A comment on a post.")
public record CommentView(
        @Schema(examples = "5001") long id,
        @Schema(examples = "1001") long postId,

        @Schema(description = "The author's user id.", examples = "7")
        long authorId,

        @Schema(description = "The author's display name.", examples = "Charles Babbage")
        String authorName,

        @Schema(examples = "Splendid.") String body,
        @Schema(examples = "2026-11-22T10:20:00Z") Instant createdAt,
        @Schema(examples = "0") long version,
        ModerationView moderation) {}
