package dev.tripbeam.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tripbeam.lake.LakeFiles;
import java.io.IOException;

/** Writes a run report and, beside it, its page ({@link RunPage}); the lake's publication calls it. */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * The report's JSON at {@code path} and its page beside it. A report that is not JSON gets no page (the page is a
   * view; the publication does not depend on it).
   */
  public static void write(String path, String json) throws IOException {
    LakeFiles.write(path, json);
    String page;
    try {
      page = RunPage.render(json);
    } catch (JsonProcessingException e) {
      return;
    }
    LakeFiles.write(RunPage.pathBeside(path), page);
  }
}
