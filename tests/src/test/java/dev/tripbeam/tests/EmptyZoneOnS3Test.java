package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.LocalS3;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.io.AvroRecords;
import dev.tripbeam.io.EmptyZone;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema-only file that keeps an empty zone readable, written to a real S3 server: Beam's S3 channel completes
 * its multipart upload on close, so the file must be closed exactly once.
 */
class EmptyZoneOnS3Test {
  @TempDir Path tmp;

  @Test
  void emptyZoneFileIsWrittenOnceOnS3() throws Exception {
    try (LocalS3 s3 = LocalS3.start(tmp.resolve("s3"))) {
      s3.createBucket("lake");
      FileSystems.setDefaultPipelineOptions(s3.beamOptions());

      assertTrue(EmptyZone.ensureReadable("s3://lake/curated/aggregated/user_daily", AvroRecords.userDaily()));
      assertFalse(EmptyZone.ensureReadable("s3://lake/curated/aggregated/user_daily", AvroRecords.userDaily()));

      List<String> keys = s3.keys("lake", "curated/");
      assertEquals(List.of("curated/aggregated/user_daily/part-00000-of-00001.parquet"), keys);
      byte[] file = s3.get("lake", keys.get(0));
      assertArrayEquals("PAR1".getBytes(), Arrays.copyOfRange(file, 0, 4));
      assertArrayEquals("PAR1".getBytes(), Arrays.copyOfRange(file, file.length - 4, file.length));
      Path local = tmp.resolve("user_daily.parquet");
      java.nio.file.Files.write(local, file);
      assertEquals(List.of("0"), Outputs.query("select count(*) from read_parquet('" + local + "')"));
    } finally {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    }
  }
}
