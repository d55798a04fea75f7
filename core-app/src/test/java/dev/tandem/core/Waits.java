package dev.tandem.core;

import java.time.Duration;

/** How long a test waits for a condition. */
public final class Waits {

    /** Bounds a real failure only: a slow, shared machine never comes near it. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Waits() {}
}
