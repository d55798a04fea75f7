package dev.tandem.hotpath.content;

import dev.tandem.hotpath.users.PublicUserView;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(
        name = "UserPosts",
        description = "A user, a page of their posts (newest first) and, on request, the posts' first comments.")
public record UserPosts(
        PublicUserView user,
        List<PostView> items,

        @Schema(description = "Opaque cursor of the next page; absent on the last page.", nullable = true) @Nullable
        String next) {}
