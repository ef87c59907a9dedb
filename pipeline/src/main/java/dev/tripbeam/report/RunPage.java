package dev.tripbeam.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run page, {@code _reports/run-<runId>.html}: the run report rendered for a person, from the report's JSON only
 * (so a publication completed by a later run renders the same page). Self-contained: inline styles and an inline SVG
 * chart, no script, no network. Inputs: the report's JSON; output: the HTML text; no options.
 */
final class RunPage {
  private static final int BAR_WIDTH = 420;

  private RunPage() {}

  /** The page's path beside the report: {@code run-<id>.json} becomes {@code run-<id>.html}. */
  static String pathBeside(String reportPath) {
    return reportPath.substring(0, reportPath.length() - ".json".length()) + ".html";
  }

  static String render(String reportJson) throws IOException {
    JsonNode r = new ObjectMapper().readTree(reportJson);
    StringBuilder h = new StringBuilder();
    head(h, r);
    counts(h, r);
    rejected(h, r.path("counts"));
    details(h, r);
    h.append("</body></html>\n");
    return h.toString();
  }

  /** The document's head, title and the run's line. */
  private static void head(StringBuilder h, JsonNode r) {
    String runId = r.path("run_id").asText();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" ")
        .append("content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<title>tripbeam run ").append(esc(runId)).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#1b1f24;max-width:70em}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{padding:.25em .8em;border-bottom:1px solid #ddd;")
        .append("text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append(".ok{color:#116329;font-weight:bold}.bad{color:#b3261e;font-weight:bold}code{font-size:.9em}")
        .append("</style></head><body>\n");
    h.append("<h1>tripbeam run <code id=\"run-id\">").append(esc(runId)).append("</code></h1>\n");
    h.append("<p>").append(esc(r.path("runner").asText())).append(", ")
        .append(esc(r.path("mode").asText().replace('_', ' ')))
        .append(", ").append(esc(r.path("start_time").asText())).append(" to ").append(esc(r.path("end_time").asText()))
        .append(" (<span id=\"wall-seconds\">").append(esc(r.path("wall_seconds").asText())).append("</span> s)</p>\n");
  }

  /** The counts and the reconciliation's equation. */
  private static void counts(StringBuilder h, JsonNode r) {
    JsonNode counts = r.path("counts");
    boolean reconciled = r.path("reconciled").asBoolean();
    h.append("<h2>Counts</h2>\n<table id=\"counts\">");
    row(h, "read", counts.path("read").asLong());
    if (r.path("trips_processed_before").asLong() > 0) {
      row(h, "trips_processed_before", r.path("trips_processed_before").asLong());
    }
    row(h, "valid", counts.path("valid").asLong());
    row(h, "duplicates", counts.path("duplicates").asLong());
    row(h, "conflicting_duplicates", counts.path("conflicting_duplicates").asLong());
    row(h, "rejected_total", counts.path("rejected_total").asLong());
    h.append("</table>\n");
    long rulesRejected = counts.path("rejected_total").asLong() - counts.path("conflicting_duplicates").asLong();
    long before = r.path("trips_processed_before").asLong();
    String outside = "outside_reprocessed_dates";
    h.append("<h2>Reconciliation</h2>\n<p id=\"reconciliation\">read ")
        .append(num(counts.path("read").asLong()))
        .append(before > 0 ? " + processed before " + num(before) : "")
        .append(" = processed ").append(num(r.at("/outputs/processed_trips/rows").asLong()))
        .append(" + duplicates ").append(num(counts.path("duplicates").asLong()))
        .append(" + conflicting ").append(num(counts.path("conflicting_duplicates").asLong()))
        .append(" + rejected by the rules ").append(num(rulesRejected))
        .append(counts.has(outside) ? " + other dates " + num(counts.path(outside).asLong()) : "")
        .append(": <span id=\"reconciled\" class=\"").append(reconciled ? "ok\">reconciled" : "bad\">NOT reconciled")
        .append("</span></p>\n");
  }

  /** The rejected records by reason: a bar chart and its table. */
  private static void rejected(StringBuilder h, JsonNode counts) {
    h.append("<h2>Rejected by reason</h2>\n");
    List<Map.Entry<String, JsonNode>> reasons = new ArrayList<>();
    counts.path("rejected").fields().forEachRemaining(reasons::add);
    if (reasons.isEmpty()) {
      h.append("<p>none</p>\n");
    } else {
      long max = 1;
      for (Map.Entry<String, JsonNode> e : reasons) {
        max = Math.max(max, e.getValue().asLong());
      }
      int lineHeight = 24;
      h.append("<svg id=\"rejected-chart\" role=\"img\" aria-label=\"rejected records by reason\" width=\"760\"")
          .append(" height=\"")
          .append(reasons.size() * lineHeight + 8).append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"13\">");
      int y = 4;
      for (Map.Entry<String, JsonNode> e : reasons) {
        long n = e.getValue().asLong();
        long w = Math.max(1, Math.round((double) n * BAR_WIDTH / max));
        h.append("<text x=\"0\" y=\"").append(y + 16).append("\">").append(esc(e.getKey())).append("</text>")
            .append("<rect x=\"220\" y=\"").append(y + 3).append("\" width=\"").append(w)
            .append("\" height=\"16\" fill=\"#b3261e\"/>")
            .append("<text x=\"").append(226 + w).append("\" y=\"").append(y + 16).append("\">").append(num(n))
            .append("</text>");
        y += lineHeight;
      }
      h.append("</svg>\n<table id=\"rejected\">");
      for (Map.Entry<String, JsonNode> e : reasons) {
        row(h, e.getKey(), e.getValue().asLong());
      }
      h.append("</table>\n");
    }
  }

  /** Outputs, inputs, stages, engine counters and the serving load. */
  private static void details(StringBuilder h, JsonNode r) {
    h.append("<h2>Outputs</h2>\n<table id=\"outputs\"><tr><th>output</th><th>rows</th><th>path</th></tr>");
    r.path("outputs").fields().forEachRemaining(
        e -> h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"n\">")
            .append(num(e.getValue().path("rows").asLong())).append("</td><td><code>")
            .append(esc(e.getValue().path("path").asText())).append("</code></td></tr>"));
    h.append("</table>\n");

    h.append("<h2>Inputs</h2>\n<table id=\"inputs\"><tr><th>file</th><th>bytes</th><th>checksum</th></tr>");
    for (JsonNode in : r.path("inputs")) {
      h.append("<tr><td><code>").append(esc(in.path("path").asText())).append("</code></td><td class=\"n\">")
          .append(num(in.path("bytes").asLong())).append("</td><td><code>").append(esc(in.path("checksum").asText()))
          .append("</code></td></tr>");
    }
    h.append("</table>\n");
    if (r.has("stage_seconds")) {
      h.append("<h2>Stages</h2>\n<table id=\"stages\">");
      r.path("stage_seconds").fields().forEachRemaining(
          e -> h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"n\">")
              .append(String.format(Locale.ROOT, "%.1f s", e.getValue().asDouble())).append("</td></tr>"));
      h.append("</table>\n");
    }
    if (r.has("engine_counters")) {
      h.append("<h2>Engine counters</h2>\n<table id=\"engine-counters\">");
      r.path("engine_counters").fields().forEachRemaining(e -> row(h, e.getKey(), e.getValue().asLong()));
      h.append("</table>\n");
    }
    if (r.has("serving")) {
      h.append("<h2>Serving</h2>\n<p id=\"serving\">").append(esc(r.at("/serving/status").asText())).append("</p>\n");
    }
  }

  private static void row(StringBuilder h, String label, long n) {
    h.append("<tr><td>").append(esc(label)).append("</td><td class=\"n\" data-count=\"").append(esc(label))
        .append("\">")
        .append(num(n)).append("</td></tr>");
  }

  private static String num(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
