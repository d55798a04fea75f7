package dev.tandem.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.SynchronizedHistogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scenario d, the background-task trigger: jobs of {@value #TEXTS} texts started at a fixed rate on
 * hot-path's {@code POST /api/v1/inference/jobs} (202 at once), each then read after {@value
 * #POLL_MILLIS} ms and then at doubling intervals up to {@value #MAX_POLL_MILLIS} ms until it is done,
 * as a client would (polling every few ms whatever happens turns a slow spell into a storm of reads). Measured from each job's due time: the 202, and the
 * time until the work is done (what a user waits for).
 */
final class Jobs {

    static final int TEXTS = 10;
    static final double RATE = 20;
    static final long POLL_MILLIS = 5;
    static final long MAX_POLL_MILLIS = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final String[] REVIEWS = {
        "Great service, the staff were friendly and quick.",
        "It broke after two days and support never answered.",
        "Exactly as described, arrived early, would buy again.",
        "The battery barely lasts an hour, very disappointing.",
        "Lovely little cafe with the best coffee in town.",
        "Terrible experience, the order was wrong twice.",
        "Solid build quality and the setup took five minutes.",
        "Overpriced for what it is and the fit is poor.",
        "My kids love it and it survived the first week.",
        "The app keeps crashing whenever I open the camera."
    };

    /**
     * What the run measured.
     *
     * @param accepted time to the 202, µs from each job's due time
     * @param done time until the job was done, µs from its due time
     * @param failed jobs not accepted, failed, or not done within a minute
     */
    record Measured(
            double rate,
            int seconds,
            long started,
            SynchronizedHistogram accepted,
            SynchronizedHistogram done,
            long failed,
            double cpuSecondsPerJob,
            double peakRssMegabytes) {}

    private Jobs() {}

    static Measured measure(long pid, int duration, int warmup, Path raw) throws Exception {
        String token = Requests.accessToken("inference");
        StringBuilder body = new StringBuilder("{\"model\":\"sentiment\",\"texts\":[");
        for (int i = 0; i < TEXTS; i++) {
            body.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(REVIEWS[i % REVIEWS.length])
                    .append('"');
        }
        String json = body.append("]}").toString();
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Commands.say("d. background jobs on hot-path-service: warm-up %d s", Math.min(warmup, 5));
            run(http, token, json, Math.min(warmup, 5));
            Commands.say(
                    "d. background jobs on hot-path-service: %.0f jobs/s of %d texts for %d s", RATE, TEXTS, duration);
            ProcessStats.resetPeakRss(pid);
            double cpuBefore = ProcessStats.cpuSeconds(pid);
            Measured measured = run(http, token, json, duration);
            double cpu = ProcessStats.cpuSeconds(pid) - cpuBefore;
            measured = new Measured(
                    measured.rate(),
                    measured.seconds(),
                    measured.started(),
                    measured.accepted(),
                    measured.done(),
                    measured.failed(),
                    cpu / Math.max(1, measured.started()),
                    ProcessStats.peakRssMegabytes(pid));
            Files.writeString(raw.resolve("background-jobs-hot-path-service.txt"), describe(measured));
            Commands.say(
                    "  202 p99 %s, done p50 %s, p99 %s, %,d failed",
                    Report.ms(measured.accepted().getValueAtPercentile(99)),
                    Report.ms(measured.done().getValueAtPercentile(50)),
                    Report.ms(measured.done().getValueAtPercentile(99)),
                    measured.failed());
            return measured;
        } finally {
            forgetJobs();
        }
    }

    private static Measured run(HttpClient http, String token, String json, int seconds) throws InterruptedException {
        SynchronizedHistogram accepted = new SynchronizedHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        SynchronizedHistogram done = new SynchronizedHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        AtomicLong failed = new AtomicLong();
        long total = Math.round(RATE * seconds);
        long interval = Math.round(1e9 / RATE);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        try (ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                jobs.submit(() -> {
                    if (!oneJob(http, token, json, due, accepted, done)) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        return new Measured(RATE, seconds, total, accepted, done, failed.get(), 0, 0);
    }

    /** Starts a job, then reads it until it is done; false when it was not accepted or did not finish. */
    private static boolean oneJob(
            HttpClient http,
            String token,
            String json,
            long due,
            SynchronizedHistogram accepted,
            SynchronizedHistogram done) {
        try {
            HttpResponse<String> started = http.send(
                    HttpRequest.newBuilder(URI.create(Bench.HOT_PATH + "/api/v1/inference/jobs"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                return false;
            }
            accepted.recordValue(micros(due));
            URI job = URI.create(Bench.HOT_PATH)
                    .resolve(started.headers().firstValue("Location").orElseThrow());
            HttpRequest read = HttpRequest.newBuilder(job)
                    .header("Authorization", "Bearer " + token)
                    .build();
            long giveUp = System.nanoTime() + GIVE_UP.toNanos();
            long pause = POLL_MILLIS;
            while (System.nanoTime() < giveUp) {
                HttpResponse<String> state = http.send(read, HttpResponse.BodyHandlers.ofString());
                String status = state.statusCode() == 200
                        ? JSON.readTree(state.body()).path("status").asString("")
                        : "";
                if (status.equals("done")) {
                    done.recordValue(micros(due));
                    return true;
                }
                if (status.equals("failed") || state.statusCode() != 200) {
                    return false;
                }
                Thread.sleep(pause);
                pause = Math.min(MAX_POLL_MILLIS, pause * 2);
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long micros(long due) {
        return Math.max(1, (System.nanoTime() - due) / 1000);
    }

    static String describe(Measured m) {
        return String.format(
                Locale.ROOT,
                "d. background jobs (%d texts, sentiment) on hot-path-service: %.0f jobs/s for %d s, %,d started,"
                        + " %,d failed%n%n== 202, µs from due ==%n%s%n== done, µs from due ==%n%s",
                TEXTS,
                m.rate(),
                m.seconds(),
                m.started(),
                m.failed(),
                FixedRate.distribution(m.accepted()),
                FixedRate.distribution(m.done()));
    }

    /** The bench's jobs are not kept (the demo account started them all). */
    private static void forgetJobs() throws SQLException {
        try (Connection db = DriverManager.getConnection(Bench.DB_URL, Bench.DB_USER, Bench.DB_PASSWORD)) {
            db.createStatement()
                    .executeUpdate("delete from inference_jobs where user_id ="
                            + " (select id from users where email = 'demo@tandem.dev')");
        }
    }
}
