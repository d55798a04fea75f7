package dev.tandem.hotpath.api;

/** The request is malformed in a way the client must fix (a bad cursor, header or parameter): 400. */
public class BadRequestProblem extends RuntimeException {

    public BadRequestProblem(String detail) {
        super(detail, null, false, false);
    }
}
