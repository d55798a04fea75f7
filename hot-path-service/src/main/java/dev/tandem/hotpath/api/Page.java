package dev.tandem.hotpath.api;

import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list in keyset order. {@code next} is the cursor of the following page (also in
 * the {@code Link: <...>; rel="next"} header), absent on the last page.
 */
public record Page<T>(
        @Schema(description = "The items of this page, in the list's order.")
        List<T> items,

        @Schema(
                description = "Opaque cursor of the next page (pass it as ?cursor=); absent on the last page.",
                examples = "MToxNzY0MDAwMDAwOjA6NDI",
                nullable = true)
        @Nullable
        String next) {

    /** A page from up to {@code limit + 1} rows: the extra row only says that there is more. */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> position) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), position.apply(items.getLast()).encode());
    }
}
