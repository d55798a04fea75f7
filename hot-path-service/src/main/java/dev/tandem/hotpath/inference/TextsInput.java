package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "TextsInput", description = "The texts for a model: one string, or a list of 1 to 64.")
public record TextsInput(
        @Schema(
                required = true,
                description = "A text or a list of up to 64 texts, each up to 10 000 characters (the model reads"
                        + " at most its first `maxTokens` tokens; longer texts are cut and marked `truncated`).",
                examples = "[\"The weather is lovely today.\", \"It is sunny and warm outside.\"]")
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @NotNull
        @Size(min = 1, max = 64)
        @Nullable
        List<
                        @NotNull @Pattern(regexp = "(?s).*\\P{javaWhitespace}.*", message = "must not be blank")
                        @Size(max = 10_000) String>
                input) {}
