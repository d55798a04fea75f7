package dev.tandem.hotpath.content;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "CommentInput", description = "What a comment says.")
public record CommentInput(
        @Schema(required = true, maxLength = 10000, pattern = "\\S", examples = "Splendid.")
        @NotNull
        @Pattern(regexp = "(?s).*\\P{javaWhitespace}.*", message = "must not be blank")
        @Size(max = 10000)
        @Nullable
        String body) {

    String cleanBody() {
        return body == null ? "" : body.strip();
    }
}
