package dev.tandem.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report of one run: a Markdown summary (the table, the targets, the method and the machine)
 * and a self-contained HTML page with the same table and SVG charts (throughput per scenario and
 * service; latency percentiles per scenario and service, on a log scale). No scripts, no fonts, no
 * network: it opens from disk.
 */
final class Report {

    /** What a target compares, and whether this run met it. */
    record Target(String claim, String measured, Optional<Boolean> met) {}

    private Report() {}

    static String markdown(
            String date,
            String machine,
            String method,
            List<Result> results,
            String openModel,
            double pgbenchTps,
            List<Target> targets) {
        StringBuilder md = new StringBuilder();
        md.append("# Tandem bench, ").append(date).append("\n\n");
        md.append(
                "| scenario | service | connections | requests/s | p50 | p90 | p99 | p99.9 | errors"
                        + " | service CPU s per 1 000 requests | PostgreSQL CPU s per 1 000 | wrk CPU s per 1 000 | service peak RSS |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %,.0f | %s | %s | %s | %s | %,d | %.2f | %.2f | %.2f | %.0f MB |%n",
                    r.title(),
                    r.service(),
                    r.connections(),
                    r.wrk().throughput(),
                    ms(r.wrk().p50Micros()),
                    ms(r.wrk().p90Micros()),
                    ms(r.wrk().p99Micros()),
                    ms(r.wrk().p999Micros()),
                    r.wrk().errors(),
                    r.cpuSecondsPer1000(),
                    r.postgresCpuSecondsPer1000(),
                    r.wrkCpuSecondsPer1000(),
                    r.peakRssMegabytes()));
        }
        md.append(String.format(
                Locale.ROOT,
                "| reference: `pgbench -S -M prepared` | PostgreSQL | | %,.0f TPS | | | | | | | | | |%n",
                pgbenchTps));
        md.append(openModel);
        md.append("\n## Targets\n\n| target | this run | met |\n|---|---|---|\n");
        for (Target t : targets) {
            md.append("| ")
                    .append(t.claim())
                    .append(" | ")
                    .append(t.measured())
                    .append(" | ")
                    .append(t.met().map(m -> m ? "yes" : "**no**").orElse("not measured"))
                    .append(" |\n");
        }
        md.append("\n## Method\n\n")
                .append(method)
                .append("\n\n## Machine\n\n")
                .append(machine)
                .append('\n');
        return md.toString();
    }

    /** The fixed-rate runs' table: offered against answered, latency from each request's due time. */
    static String fixedRateTable(List<FixedRate.Row> rows) {
        StringBuilder md = new StringBuilder("\n## Fixed rate (open model)\n\n");
        md.append("| scenario | load | service | offered/s | ok/s | p50 | p90 | p99 | p99.9 | shed (429/503) | shed p99"
                + " | other status | no answer | service CPU s per 1 000 sent | CPU cores: service + PostgreSQL +"
                + " generator | service peak RSS |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FixedRate.Row r : rows) {
            OpenLoad.Outcome o = r.outcome();
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %,.0f | %,.0f | %s | %s | %s | %s | %,d | %s | %,d | %,d | %.2f | %.2f + %.2f + %.2f |"
                            + " %.0f MB |%n",
                    r.title(),
                    r.kind(),
                    r.service(),
                    r.offered(),
                    o.okPerSecond(),
                    ms(o.ok().getValueAtPercentile(50)),
                    ms(o.ok().getValueAtPercentile(90)),
                    ms(o.ok().getValueAtPercentile(99)),
                    ms(o.ok().getValueAtPercentile(99.9)),
                    o.shed().getTotalCount(),
                    o.shed().getTotalCount() == 0 ? "—" : ms(o.shed().getValueAtPercentile(99)),
                    o.otherStatus(),
                    o.failed(),
                    r.cpuSecondsPer1000(),
                    r.cpuCores().service(),
                    r.cpuCores().postgres(),
                    r.cpuCores().generator(),
                    r.peakRssMegabytes()));
        }
        return md.toString();
    }

    /** Scenario d's table: the 202, and the time until the job was done. */
    static String jobsTable(Jobs.Measured jobs) {
        return String.format(
                Locale.ROOT,
                "%n## d. Background-task trigger (hot-path-service)%n%n"
                        + "| jobs/s | texts per job | started | 202 p50 | 202 p99 | done p50 | done p90 | done p99 | done max"
                        + " | failed | service CPU s per job | service peak RSS |%n"
                        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n"
                        + "| %.0f | %d | %,d | %s | %s | %s | %s | %s | %s | %,d | %.3f | %.0f MB |%n",
                jobs.rate(),
                Jobs.TEXTS,
                jobs.started(),
                ms(jobs.accepted().getValueAtPercentile(50)),
                ms(jobs.accepted().getValueAtPercentile(99)),
                ms(jobs.done().getValueAtPercentile(50)),
                ms(jobs.done().getValueAtPercentile(90)),
                ms(jobs.done().getValueAtPercentile(99)),
                ms(jobs.done().getMaxValue()),
                jobs.failed(),
                jobs.cpuSecondsPerJob(),
                jobs.peakRssMegabytes());
    }

    static String html(String date, String markdownTable, List<Result> results, double pgbenchTps) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Tandem bench ")
                .append(date)
                .append("</title><style>")
                .append("body{font:14px system-ui,sans-serif;max-width:1100px;margin:2rem auto;color:#1f2937}")
                .append(
                        "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;font-size:13px}")
                .append(
                        "td,th{border-bottom:1px solid #e5e7eb;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child,")
                .append(
                        "td:nth-child(2),th:nth-child(2){text-align:left}pre{white-space:pre-wrap;background:#f9fafb;padding:1rem}")
                .append("</style></head><body><h1>Tandem bench, ")
                .append(date)
                .append("</h1>");
        html.append("<h2>Throughput (requests per second)</h2>").append(throughputChart(results, pgbenchTps));
        html.append("<h2>Latency percentiles (milliseconds, log scale)</h2>").append(latencyChart(results));
        html.append("<h2>Summary</h2><pre>").append(escape(markdownTable)).append("</pre></body></html>");
        return html.toString();
    }

    private static final String[] COLOURS = {"#4f46e5", "#10b981", "#f59e0b", "#6b7280"};

    private static String throughputChart(List<Result> results, double pgbenchTps) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        for (Result r : results) {
            labels.add(r.title() + " · " + r.service() + " · " + r.connections() + " conn.");
            values.add(r.wrk().throughput());
            colours.add(r.service().equals("hot-path-service") ? COLOURS[0] : COLOURS[1]);
        }
        labels.add("pgbench -S -M prepared (reference)");
        values.add(pgbenchTps);
        colours.add(COLOURS[3]);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int rowHeight = 22;
        int width = 1000;
        int labelWidth = 420;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %1$d %2$d\""
                        + " style=\"max-width:100%%;height:auto\" role=\"img\">",
                width,
                rowHeight * labels.size() + 10));
        for (int i = 0; i < labels.size(); i++) {
            double w = (width - labelWidth - 90) * values.get(i) / max;
            int y = i * rowHeight + 5;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%,.0f</text>",
                    labelWidth - 8,
                    y + 13,
                    escape(labels.get(i)),
                    labelWidth,
                    y,
                    w,
                    colours.get(i),
                    labelWidth + w + 6,
                    y + 13,
                    values.get(i)));
        }
        return svg.append("</svg>").toString();
    }

    private static String latencyChart(List<Result> results) {
        String[] names = {"p50", "p90", "p99", "p99.9"};
        int groupWidth = 150;
        int height = 260;
        int top = 20;
        int bottom = 70;
        int left = 50;
        double minMs = 0.1;
        double maxMs = results.stream()
                .mapToDouble(r -> r.wrk().p999Micros() / 1000.0)
                .max()
                .orElse(10);
        double logMin = Math.log10(minMs);
        double logMax = Math.log10(Math.max(maxMs * 1.5, 1));
        int width = left + groupWidth * results.size() + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %1$d %2$d\""
                        + " style=\"max-width:100%%;height:auto\" role=\"img\">",
                width,
                height + bottom));
        for (double tick = minMs; tick <= Math.pow(10, logMax); tick *= 10) {
            double y = top + (height - top) * (1 - (Math.log10(tick) - logMin) / (logMax - logMin));
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e7eb\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                    left,
                    width,
                    y,
                    y,
                    left - 4,
                    y + 4,
                    tick < 1 ? String.format(Locale.ROOT, "%.1f", tick) : String.format(Locale.ROOT, "%.0f", tick)));
        }
        for (int g = 0; g < results.size(); g++) {
            Result r = results.get(g);
            long[] values = {
                r.wrk().p50Micros(),
                r.wrk().p90Micros(),
                r.wrk().p99Micros(),
                r.wrk().p999Micros()
            };
            int x0 = left + g * groupWidth + 10;
            for (int i = 0; i < values.length; i++) {
                double v = Math.max(minMs, values[i] / 1000.0);
                double y = top + (height - top) * (1 - (Math.log10(v) - logMin) / (logMax - logMin));
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%.1f\" width=\"28\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.2f ms</title></rect>",
                        x0 + i * 32,
                        y,
                        height - y,
                        COLOURS[i],
                        escape(r.title() + " " + r.service()),
                        names[i],
                        values[i] / 1000.0));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    x0,
                    height + 16,
                    escape(r.title().substring(0, r.title().indexOf('.') + 1) + " " + r.connections() + " conn."),
                    x0,
                    height + 30,
                    escape(r.service())));
        }
        Map<String, String> legend = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            legend.put(names[i], COLOURS[i]);
        }
        int lx = left;
        for (Map.Entry<String, String> entry : legend.entrySet()) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    lx,
                    height + 45,
                    entry.getValue(),
                    lx + 14,
                    height + 54,
                    entry.getKey()));
            lx += 60;
        }
        return svg.append("</svg>").toString();
    }

    static String ms(long micros) {
        return micros >= 100_000
                ? String.format(Locale.ROOT, "%.0f ms", micros / 1000.0)
                : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
