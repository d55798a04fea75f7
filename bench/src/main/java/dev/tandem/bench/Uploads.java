package dev.tandem.bench;

import static dev.tandem.bench.Bench.DB_PASSWORD;
import static dev.tandem.bench.Bench.DB_URL;
import static dev.tandem.bench.Bench.DB_USER;
import static dev.tandem.bench.Bench.HOT_PATH;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/** Scenario c: 10 MB uploads to hot-path beside the same bytes into a raw loopback sink. */
final class Uploads {

    private Uploads() {}

    static final int UPLOAD_BYTES = 10 * 1024 * 1024;
    /** Upload runs are short: every request leaves 10 MB on disk until the run ends. */
    static final int UPLOAD_SECONDS = 10;

    /**
     * c. a 10 MB upload to hot-path's {@code POST /api/v1/files} (stored, hashed, recorded), beside
     * the same bytes over loopback into a raw sink that only reads and drops them: the physical
     * reference. The uploaded files and their rows are removed afterwards.
     */
    static List<Result> measure(Path root, long hotPid, int warmup, Path raw) throws Exception {
        String post = root.resolve("bench/scripts/post.lua").toString();
        String size = Integer.toString(UPLOAD_BYTES);
        Bench.Scenario upload = new Bench.Scenario(
                "upload-10mb", "c. 10 MB upload", "/api/v1/files?name=bench.bin", "/sink", 4, 1, true);
        int uploadWarmup = Math.min(warmup, 5);
        List<Result> results = new ArrayList<>();
        HttpServer sink = sink();
        try {
            String base = "http://127.0.0.1:" + sink.getAddress().getPort();
            results.add(Bench.measure(
                    upload,
                    "raw loopback sink",
                    base,
                    post,
                    List.of(upload.corePath(), size, ""),
                    "",
                    ProcessHandle.current().pid(),
                    UPLOAD_SECONDS,
                    uploadWarmup,
                    raw));
        } finally {
            sink.stop(0);
        }
        String token = Requests.accessToken("files:write");
        try {
            results.add(Bench.measure(
                    upload,
                    "hot-path-service",
                    HOT_PATH,
                    post,
                    List.of(upload.hotPathPath(), size, token),
                    token,
                    hotPid,
                    UPLOAD_SECONDS,
                    uploadWarmup,
                    raw));
        } finally {
            removeUploads(root);
        }
        return results;
    }

    /** A loopback HTTP server that reads each request's body, drops it and answers 201. */
    static HttpServer sink() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    static void removeUploads(Path root) throws Exception {
        try (Connection db = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD);
                Statement s = db.createStatement()) {
            s.execute(
                    "delete from attachments where owner_id = (select id from users where email = 'demo@tandem.dev')");
        }
        Path files = root.resolve(".devstack-bench/data/files"); // the devstack's data folder (TANDEM_FILES_DIR)
        if (Files.isDirectory(files)) {
            try (var paths = Files.walk(files)) {
                for (Path path :
                        paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!path.equals(files)) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }
}
