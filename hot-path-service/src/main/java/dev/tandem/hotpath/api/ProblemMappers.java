package dev.tandem.hotpath.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into problem details: never a stack trace, never an HTML page, and a 500
 * only for what is truly unexpected (logged with an id the client can quote).
 */
class ProblemMappers {

    static final URI VALIDATION = URI.create("https://tandem.dev/problems/validation");

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
    Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(pointer(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::pointer))
                .toList();
        return new Problem(
                        VALIDATION,
                        "Invalid input",
                        422,
                        "The request has " + errors.size() + " invalid value(s); see errors.",
                        path(uri),
                        errors)
                .toResponse();
    }

    /** Keeps the response's headers (Allow, Retry-After, WWW-Authenticate, ...), replaces its body. */
    @ServerExceptionMapper
    Response http(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e, uri);
        }
        Problem problem = new Problem(
                Problem.ABOUT_BLANK, status.getReasonPhrase(), status.getStatusCode(), e.getMessage(), path(uri), null);
        return Response.fromResponse(original)
                .type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .entity(problem)
                .build();
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

    /** A JSON pointer for body fields ("/title"); the parameter's name for path and query values. */
    private static String pointer(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        int dot = path.indexOf('.');
        String rest = dot < 0 ? path : path.substring(dot + 1);
        int next = rest.indexOf('.');
        return next < 0 ? rest : "/" + rest.substring(next + 1).replace('.', '/');
    }

    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }
}
