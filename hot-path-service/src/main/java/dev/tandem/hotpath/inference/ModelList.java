package dev.tandem.hotpath.inference;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ModelList")
public record ModelList(List<ModelView> models) {}
