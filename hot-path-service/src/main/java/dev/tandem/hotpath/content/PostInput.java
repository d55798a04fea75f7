package dev.tandem.hotpath.content;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "PostInput", description = "What a post says; used to create and to replace one.")
public record PostInput(
        @Schema(required = true, maxLength = 200, pattern = "\\S", examples = "Notes on the Analytical Engine")
        @NotNull
        @Pattern(regexp = "(?s).*\\P{javaWhitespace}.*", message = "must not be blank")
        @Size(max = 200)
        @Nullable
        String title,

        @Schema(required = true, maxLength = 40000, examples = "It weaves algebraic patterns.")
        @NotNull
        @Size(max = 40000)
        @Nullable
        String body) {

    String cleanTitle() {
        return title == null ? "" : title.strip();
    }

    String cleanBody() {
        return body == null ? "" : body;
    }

    /** What the models read: the title, then the body. */
    String text() {
        return cleanTitle() + "\n\n" + cleanBody();
    }
}
