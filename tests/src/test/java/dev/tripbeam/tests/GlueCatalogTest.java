package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.fixtures.DirectRun;
import dev.tripbeam.fixtures.Generated;
import dev.tripbeam.fixtures.LocalAws;
import dev.tripbeam.fixtures.Outputs;
import dev.tripbeam.lake.IcebergLake;
import dev.tripbeam.lake.Lake;
import dev.tripbeam.lake.LakeLayout;
import dev.tripbeam.lake.LakeZone;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * The lake's tables in the Glue Data Catalog (moto's emulator on 127.0.0.1, started by the test): a full run and an
 * incremental run with {@code --catalog=glue:ENDPOINT} create and commit every zone's table as a Glue table of type
 * ICEBERG whose metadata is in the zone's folder (what Athena and EMR read), the ledger and the partitions' runs
 * read back through Glue, and the lake equals one full run's on a SQLite catalog in every column of every zone. The
 * database is the one {@code emr-bootstrap/create-catalog.sh} creates with the AWS CLI against the emulator.
 */
class GlueCatalogTest {
  private static final Map<String, String> AWS =
      Map.of("aws.accessKeyId", "testing", "aws.secretAccessKey", "testing-secret", "aws.region", "us-east-1");

  @TempDir Path tmp;
  private LocalAws glue;

  @BeforeEach
  void start() throws Exception {
    glue = LocalAws.start(tmp.resolve("moto.log"));
    AWS.forEach(System::setProperty);
  }

  @AfterEach
  void stop() throws Exception {
    AWS.keySet().forEach(System::clearProperty);
    glue.close();
  }

  @Test
  void runsCommitTheZonesAsIcebergTablesOfTheGlueCatalog() throws Exception {
    Path a = Generated.appTrips(tmp.resolve("a"), "parquet", "--users=80", "--trips=1200", "--days=3",
        "--start=2024-03-04", "--seed=31");
    Path b = Generated.appTrips(tmp.resolve("b"), "parquet", "--users=80", "--trips=800", "--days=2",
        "--start=2024-03-05", "--seed=32");
    Path lake = tmp.resolve("lake");
    assertEquals("create-catalog: the Glue database trips_test created", createCatalog());
    assertEquals("create-catalog: the Glue database trips_test exists", createCatalog());
    String[] onGlue = {"--inputFormat=app", "--catalog=" + glue.catalog(), "--catalogNamespace=trips_test",
        "--expireSnapshotsDays=0"};
    DirectRun.run(a.toString(), lake, concat(onGlue, "--runId=g1"));
    DirectRun.run(a + "," + b, lake, concat(onGlue, "--incremental=true", "--runId=g2"));

    try (GlueClient client =
        GlueClient.builder()
            .endpointOverride(URI.create(glue.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing-secret")))
            .build()) {
      assertEquals("s3://acme-lake/curated",
          client.getDatabase(r -> r.name("trips_test")).database().locationUri(), "the script's database");
      for (LakeZone zone : LakeZone.values()) {
        Table table = client.getTable(r -> r.databaseName("trips_test").name(zone.zoneName())).table();
        assertEquals("ICEBERG", table.parameters().get("table_type"), zone::toString);
        assertTrue(
            table.parameters().get("metadata_location").startsWith(lake + "/" + zone.location() + "/metadata/"),
            table.parameters()::toString);
      }
    }
    try (IcebergLake tables = IcebergLake.open(glue.catalog(), "trips_test", new LakeLayout(lake.toString()))) {
      assertEquals(2, new Lake(tables).committedRawFiles().size(), "the ledger in Glue records both files");
      assertEquals("g2", tables.partitions(LakeZone.USER_DAILY).get("2024-03-05").runId());
      assertEquals("g1", tables.partitions(LakeZone.USER_DAILY).get("2024-03-04").runId());
    }
    Path full = tmp.resolve("full");
    DirectRun.run(a + "," + b, full, "--inputFormat=app", "--runId=full");
    assertEquals(Outputs.zones(full), Outputs.zones(lake), "one full run on a SQLite catalog: every column of every zone");
  }

  /** Runs create-catalog.sh with the AWS CLI pointed at the emulator; its one line of output. */
  private String createCatalog() throws Exception {
    ProcessBuilder script = new ProcessBuilder("bash", Path.of("..", "emr-bootstrap", "create-catalog.sh").toString())
        .redirectErrorStream(true);
    script.environment().putAll(glue.cliEnvironment(tmp.resolve("aws-home"), "us-east-1"));
    script.environment().putAll(Map.of("LAKE", "s3://acme-lake/curated/", "DATABASE", "trips_test"));
    Process run = script.start();
    String out = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertEquals(0, run.waitFor(), out);
    return out;
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
