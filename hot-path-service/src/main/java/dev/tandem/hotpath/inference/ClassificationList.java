package dev.tandem.hotpath.inference;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ClassificationList", description = "One answer per input text, in order.")
public record ClassificationList(
        @Schema(examples = "sentiment") String model,

        @Schema(
                description = "True when the encoder was busy and the model's lexical fallback answered"
                        + " (less accurate; see its accuracy in GET /api/v1/models).",
                examples = "false")
        boolean fallback,

        List<Item> results,
        EmbeddingList.TokenUsage usage) {

    @Schema(name = "Classification")
    public record Item(
            @Schema(description = "The text's position in the input.", examples = "0")
            int index,

            @Schema(description = "The likeliest label.", examples = "positive")
            String label,

            @Schema(
                    description = "Every label's probability; they add up to 1.",
                    examples = "{\"negative\": 0.0213, \"positive\": 0.9787}")
            Map<String, Double> scores,

            @Schema(description = "Tokens the model read.", examples = "9")
            int tokens,

            @Schema(description = "Whether the text was cut at `maxTokens`.", examples = "false")
            boolean truncated) {}
}
