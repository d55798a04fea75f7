package dev.tandem.hotpath.inference;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "EmbeddingList", description = "One vector per input text, in order.")
public record EmbeddingList(
        @Schema(examples = "bge-small-en-v1.5") String model, List<Item> data, TokenUsage usage) {

    @Schema(name = "Embedding")
    public record Item(
            @Schema(description = "The text's position in the input.", examples = "0")
            int index,

            @Schema(description = "Unit length; 384 numbers.", examples = "[0.0004, -0.016, 0.0445]")
            float[] embedding,

            @Schema(description = "Tokens the model read, with its two markers.", examples = "9")
            int tokens,

            @Schema(description = "Whether the text was cut at the model's `maxTokens`.", examples = "false")
            boolean truncated) {}

    @Schema(name = "TokenUsage")
    public record TokenUsage(
            @Schema(description = "Tokens read, metered.", examples = "18")
            long tokens) {}
}
