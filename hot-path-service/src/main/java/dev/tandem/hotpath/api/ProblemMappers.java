package dev.tandem.hotpath.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into problem details: never a stack trace, never an HTML page, and a 500
 * only for what is truly unexpected (logged with an id the client can quote).
 */
class ProblemMappers {

    private static final Logger log = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    Response notFound(ResourceNotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, e.getMessage(), path(uri)).toResponse();
    }

    @ServerExceptionMapper
    Response noSuchRoute(NotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, "There is nothing at " + path(uri) + ".", path(uri))
                .toResponse();
    }

    @ServerExceptionMapper
    Response http(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e, uri);
        }
        return new Problem(
                        Problem.ABOUT_BLANK,
                        status.getReasonPhrase(),
                        status.getStatusCode(),
                        e.getMessage(),
                        path(uri),
                        null)
                .toResponse();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    Response unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        log.errorf(e, "unexpected error %s on %s", incident, path(uri));
        return Problem.of(
                        Response.Status.INTERNAL_SERVER_ERROR,
                        "Something went wrong on our side. Quote incident " + incident + " if you report it.",
                        path(uri))
                .toResponse();
    }

    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }
}
