package dev.tandem.hotpath.files;

import dev.tandem.hotpath.api.Problem;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The file routes' problem answers (they run outside JAX-RS, so outside its exception mappers). */
final class FileAnswers {

    private static final Logger log = Logger.getLogger(FileRoutes.class);

    private FileAnswers() {}

    static void problem(RoutingContext context, int status, String detail) {
        Status known = Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : status == 416 ? "Range Not Satisfiable" : "Error";
        new Problem(
                        Problem.ABOUT_BLANK,
                        title,
                        status,
                        detail,
                        context.request().path(),
                        null)
                .send(context.response());
    }

    static void failed(RoutingContext context, Throwable failure) {
        String incident = UUID.randomUUID().toString();
        log.errorf(
                failure,
                "unexpected error %s on %s",
                incident,
                context.request().path());
        problem(context, 500, "Something went wrong on our side. Quote incident " + incident + " if you report it.");
    }
}
