package dev.tandem.hotpath.api;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** Conditional GETs (ETag, If-None-Match) and paging links, the same on every endpoint. */
public final class Responses {

    private Responses() {}

    /**
     * 200 with the entity and its ETag, or 304 when the client already has it. The tag is made
     * from what identifies this representation (ids and versions), not by serialising it twice.
     */
    public static Response conditional(Request request, Object entity, EntityTag tag) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.tag(tag).build();
        }
        return Response.ok(entity).tag(tag).build();
    }

    /** A page with its ETag and, when there is a next page, a {@code Link: rel="next"} header. */
    public static Response page(Request request, UriInfo uri, Page<?> page, EntityTag tag) {
        return paged(request, uri, page, page.next(), tag);
    }

    /** Like {@link #page}, for a paged entity of another shape ({@code next} is its cursor). */
    public static Response paged(Request request, UriInfo uri, Object entity, @Nullable String next, EntityTag tag) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder builder = notModified != null ? notModified : Response.ok(entity);
        builder.tag(tag);
        if (next != null) {
            builder.link(
                    uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build(), "next");
        }
        return builder.build();
    }

    /** A weak tag over the given parts (ids, versions, cursors): equal parts, equal tag. */
    public static EntityTag weakTag(Object... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return new EntityTag(HexFormat.of().formatHex(digest.digest(), 0, 16), true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
