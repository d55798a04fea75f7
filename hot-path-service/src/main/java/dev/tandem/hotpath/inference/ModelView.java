package dev.tandem.hotpath.inference;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Model", description = "A model the API serves.")
public record ModelView(
        @Schema(description = "Its name in the API's paths.", examples = "bge-small-en-v1.5")
        String name,

        @Schema(examples = "1.5-int8") String version,

        @Schema(description = "`embedding` or `classification`.", examples = "embedding")
        String task,

        @Schema(description = "Length of its vectors (embedding models).", examples = "384")
        int dimensions,

        @Schema(description = "Tokens it reads of a text; the rest is cut.", examples = "256")
        int maxTokens,

        @Schema(description = "What it can answer (classification models).", examples = "[\"negative\", \"positive\"]")
        List<String> labels,

        @Schema(description = "Measured quality, e.g. cross-validated accuracy.", examples = "{\"accuracy\": 0.956}")
        Map<String, Double> metrics,

        @Schema(examples = "MIT") String licence,
        @Schema(description = "Where it comes from.") String source) {}
