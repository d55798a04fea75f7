package dev.tandem.hotpath.inference;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "InferenceJobInput", description = "A background job: one classification model over up to 1 000 texts.")
public record JobInput(
        @Schema(required = true, description = "`sentiment` or `spam`.", examples = "sentiment")
        @NotNull
        @Pattern(regexp = "sentiment|spam", message = "must be sentiment or spam")
        @Nullable
        String model,

        @Schema(
                required = true,
                description = "1 to 1 000 texts, each up to 10 000 characters (the whole body at most 1 MB).",
                examples = "[\"Great service.\", \"It broke on day one.\"]")
        @NotNull
        @Size(min = 1, max = InferenceJobs.MAX_TEXTS)
        @Nullable
        List<
                        @NotNull @Pattern(regexp = "(?s).*\\P{javaWhitespace}.*", message = "must not be blank")
                        @Size(max = 10_000) String>
                texts) {}
