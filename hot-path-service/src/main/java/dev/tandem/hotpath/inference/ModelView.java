package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "Model", description = "A model the API serves.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelView(
        @Schema(description = "Its name in the API's paths.", examples = "sentiment")
        String name,

        @Schema(description = "Its version: the training date for the heads.", examples = "2026-11-26")
        String version,

        @Schema(description = "`embedding` or `classification`.", examples = "classification")
        String task,

        @Schema(description = "Length of its vectors (embedding models only).", examples = "384", nullable = true)
        @Nullable
        Integer dimensions,

        @Schema(
                description = "The embedding model a head reads (classification models only).",
                examples = "bge-small-en-v1.5",
                nullable = true)
        @Nullable
        String encoder,

        @Schema(description = "Tokens of a text it reads; the rest is cut.", examples = "256")
        int maxTokens,

        @Schema(description = "What it answers (classification models).", examples = "[\"negative\", \"positive\"]")
        List<String> labels,

        @Schema(
                description =
                        "Measured quality: cross-validated and held-out accuracy, per-label precision and" + " recall.",
                examples = "{\"crossValidatedAccuracy\": 0.9563, \"heldOutAccuracy\": 0.955}")
        Map<String, Double> metrics,

        @Schema(description = "What it was trained on.") @Nullable
        String data,

        @Schema(examples = "CC BY 4.0 (the sentences); MIT (the package)")
        String licence,

        @Schema(description = "Where it comes from.", examples = "npm sentiment@5.0.2")
        String source) {}
