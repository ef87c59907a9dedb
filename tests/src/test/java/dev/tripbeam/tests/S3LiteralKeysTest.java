package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.LocalS3;
import dev.tripbeam.fixtures.RealFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw objects whose keys hold glob characters ({@code [}, {@code ]}, {@code ?}) on a real S3 server (S3Proxy on
 * 127.0.0.1): listed under the prefix, then read as the literal keys they are, never expanded as patterns again; a
 * {@code _SUCCESS} marker beside them is skipped. Embedded Flink in its own JVM.
 */
class S3LiteralKeysTest {
  @TempDir Path tmp;

  @Test
  void keysWithGlobCharactersAreReadLiterally() throws Exception {
    List<String> lines = RealFiles.yellowLines();
    try (LocalS3 s3 = LocalS3.start(tmp.resolve("s3"))) {
      s3.createBucket("lake");
      s3.put("lake", "raw/yellow [2021-01]?.csv", text(lines.subList(0, 21)));
      s3.put("lake", "raw/yellow*.csv", text(lines.subList(0, 6)));
      s3.put("lake", "raw/_SUCCESS", new byte[0]);
      List<String> args = new ArrayList<>(List.of("--input=s3://lake/raw/", "--output=" + tmp.resolve("out")));
      args.addAll(s3.pipelineOptions());
      ForkedRun run = ForkedRun.run("flink", tmp.resolve("out"), s3.credentialFlags(), args.toArray(new String[0]));
      assertEquals(0, run.exitCode, run::toString);
      JsonNode report = run.report();
      assertEquals(2, report.get("inputs").size(), report::toString);
      assertEquals(25, report.at("/counts/read").asLong(), "20 + 5 rows, each file read once: " + report);
      assertFalse(report.at("/counts/rejected").has("unreadable_file"), report::toString);
      assertEquals(1, report.get("hidden_or_marker_files_skipped").asInt(), report::toString);
      assertFalse(run.stdout.contains(LocalS3.SECRET_KEY) || run.stderr.contains(LocalS3.SECRET_KEY));
    }
  }

  private static byte[] text(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
