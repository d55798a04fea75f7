package dev.tandem.hotpath.content;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "CommentInput", description = "What a comment says.")
public record CommentInput(
        @Schema(required = true, maxLength = 10000, examples = "Splendid.") @NotBlank @Size(max = 10000) @Nullable
        String body) {

    String cleanBody() {
        return body == null ? "" : body.strip();
    }
}
