package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.tripbeam.catalog.AthenaDdl;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EMR files: shellcheck-clean scripts, valid configuration JSON, dry runs that print the exact aws calls and call
 * nothing (an `aws` on the PATH that records any call), and the release label pinned to the Flink runner's minor.
 */
class EmrBootstrapTest {
  static final Path ROOT = Path.of(System.getProperty("tripbeam.repoRoot", "..")).toAbsolutePath().normalize();
  static final Path EMR = ROOT.resolve("emr-bootstrap");
  @TempDir Path tmp;

  private record Run(int exit, String out) {}

  private Run run(Map<String, String> env, String... command) throws Exception {
    Path fakeBin = Files.createDirectories(tmp.resolve("bin"));
    Path fakeAws = fakeBin.resolve("aws");
    Files.writeString(fakeAws, "#!/bin/sh\necho \"$@\" >> '" + tmp.resolve("aws-called") + "'\n");
    fakeAws.toFile().setExecutable(true);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", fakeBin + File.pathSeparator + System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    return new Run(p.waitFor(), out);
  }

  @Test
  void scriptsAreShellcheckClean() throws Exception {
    List<String> command = new ArrayList<>(List.of("shellcheck", "--severity=style", "-x", "--source-path=SCRIPTDIR"));
    try (Stream<Path> scripts =
        Stream.of(EMR, ROOT.resolve("runners-config"), ROOT.resolve("runners-config/clusters"))
            .flatMap(dir -> {
              try {
                return Files.list(dir);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })) {
      scripts.filter(p -> p.toString().endsWith(".sh")).map(Path::toString).sorted().forEach(command::add);
    }
    command.add(ROOT.resolve(".ci/run").toString());
    command.add(ROOT.resolve("bin/tripbeam").toString());
    assertTrue(command.size() > 6, command::toString);
    Run r = run(Map.of(), command.toArray(new String[0]));
    assertEquals(0, r.exit(), "shellcheck (Debian package shellcheck, installed by .ci/run):\n" + r.out());
  }

  @Test
  void configurationsAreValidAndSlotsMatchTheNodes() throws Exception {
    JsonNode config = new ObjectMapper().readTree(EMR.resolve("configurations.json").toFile());
    JsonNode flink = null;
    JsonNode spark = null;
    for (JsonNode c : config) {
      if (c.get("Classification").asText().equals("flink-conf")) {
        flink = c.get("Properties");
      } else if (c.get("Classification").asText().equals("spark-defaults")) {
        spark = c.get("Properties");
      }
    }
    assertTrue(flink != null && spark != null, "flink-conf and spark-defaults classifications");
    assertEquals("8", flink.get("taskmanager.numberOfTaskSlots").asText(), "m6i.2xlarge has 8 vCPUs");
    assertTrue(Files.readString(EMR.resolve("create-cluster.sh")).contains("\"InstanceType\":\"m6i.2xlarge\""));
    assertTrue(flink.has("restart-strategy.type") && flink.has("execution.checkpointing.interval"));
    assertFalse(flink.has("execution.runtime-mode"), "Beam picks batch for bounded pipelines; streaming jobs stay streaming");
    assertTrue(spark.get("spark.driver.extraJavaOptions").asText().contains("--add-opens=java.base/sun.nio.ch"));
    new ObjectMapper().readTree(EMR.resolve("iam-policy-lake.json").toFile());
  }

  @Test
  void createClusterDryRunPrintsTheCallsAndCallsNothing() throws Exception {
    Run r = run(Map.of("LAKE_BUCKET", "acme-lake", "SUBNET_IDS", "subnet-1234"), "bash", EMR.resolve("create-cluster.sh").toString(), "--dry-run");
    assertEquals(0, r.exit(), r.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    String[] lines = r.out().trim().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].startsWith("aws s3 cp ") && lines[0].contains("s3://acme-lake/tripbeam/bootstrap.sh"), lines[0]);
    String create = lines[1];
    for (String part :
        List.of(
            "aws emr create-cluster ", "--release-label emr-7.5.0", "--applications Name=Flink Name=Spark",
            "\\\"InstanceFleetType\\\":\\\"MASTER\\\"\\,\\\"TargetOnDemandCapacity\\\":1",
            "\\\"InstanceFleetType\\\":\\\"CORE\\\"\\,\\\"TargetOnDemandCapacity\\\"",
            "\\\"InstanceFleetType\\\":\\\"TASK\\\"\\,\\\"TargetSpotCapacity\\\"",
            "--managed-scaling-policy ComputeLimits=", "--auto-termination-policy IdleTimeout=3600",
            "--log-uri s3://acme-lake/emr-logs/", "--bootstrap-actions Path=s3://acme-lake/tripbeam/bootstrap.sh",
            "SubnetIds=\\[subnet-1234\\]", "--tags cost-center=", " purpose=", " ttl=")) {
      assertTrue(create.contains(part), part + " in\n" + create);
    }
    Matcher conf = Pattern.compile("--configurations file://(\\S+)").matcher(create);
    assertTrue(conf.find(), create);
    String rendered = Files.readString(Path.of(conf.group(1)));
    assertTrue(rendered.contains("s3://acme-lake/flink/checkpoints") && !rendered.contains("LAKE_BUCKET"), rendered);
  }

  @Test
  void submitDryRunsPrintOneStepPerRunnerAndCallNothing() throws Exception {
    Run flink = run(Map.of(), "bash", EMR.resolve("submit.sh").toString(), "--dry-run", "j-TEST", "--",
        "--input=s3://raw/a.csv,s3://raw/b.csv", "--output=s3://lake/curated", "--incremental=true");
    assertEquals(0, flink.exit(), flink.out());
    assertTrue(flink.out().startsWith("aws emr add-steps --region us-east-1 --cluster-id j-TEST --steps "), flink.out());
    assertTrue(flink.out().contains("command-runner.jar"), flink.out());
    assertTrue(flink.out().contains("flink\\ run\\ -m\\ yarn-cluster"), flink.out());
    // The printed call, read back by the shell as the step JSON it passes; bash -c then reads "\," as ",".
    Run steps = run(Map.of(), "bash", "-c", "eval \"set -- $0\"; printf '%s' \"$9\"", flink.out().trim());
    JsonNode step = new ObjectMapper().readTree(steps.out()).get(0);
    assertEquals("command-runner.jar", step.get("Jar").asText());
    String script = step.get("Args").get(2).asText();
    Run echoed = run(Map.of(), "bash", "-c", "set -- " + script.substring(script.indexOf("--input=")) + "; printf '%s' \"$1\"");
    assertEquals("--input=s3://raw/a.csv,s3://raw/b.csv", echoed.out(), "a comma inside an argument survives: " + script);
    Run spark = run(Map.of(), "bash", EMR.resolve("submit.sh").toString(), "--dry-run", "--runner", "spark", "j-TEST", "--", "--output=s3://lake/curated");
    assertEquals(0, spark.exit(), spark.out());
    assertTrue(spark.out().contains("\\\"spark-submit\\\"\\,\\\"--deploy-mode\\\"\\,\\\"cluster\\\""), spark.out());
    assertTrue(spark.out().contains("tripbeam-spark-"), spark.out());
    Run serve = run(Map.of(), "bash", EMR.resolve("submit.sh").toString(), "--dry-run", "--runner", "serve", "j-TEST", "--",
        "--output=s3://lake/curated", "--servingJdbcUrl=jdbc:postgresql://db:5432/tripbeam");
    assertEquals(0, serve.exit(), serve.out());
    Run serveSteps = run(Map.of(), "bash", "-c", "eval \"set -- $0\"; printf '%s' \"$9\"", serve.out().trim());
    String serveScript = new ObjectMapper().readTree(serveSteps.out()).get(0).get("Args").get(2).asText();
    assertTrue(
        serveScript.contains("&& java -cp '/tmp/tripbeam-flink-0.1.0-SNAPSHOT.jar:/usr/lib/flink/lib/*' "
            + "dev.tripbeam.pipeline.TripPipeline --serveOnly=true --output=s3://lake/curated "
            + "--servingJdbcUrl=jdbc:postgresql://db:5432/tripbeam"),
        serveScript);
    Run bootstrap = run(Map.of(), "bash", EMR.resolve("bootstrap.sh").toString(), "--dry-run");
    assertEquals(0, bootstrap.exit(), bootstrap.out());
    assertTrue(bootstrap.out().contains("sudo mkdir -p /mnt/tripbeam/flink-tmp"), bootstrap.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
  }

  @Test
  void releaseLabelShipsTheFlinkMinorOfTheRunner() throws Exception {
    Matcher label = Pattern.compile("(?m)^RELEASE_LABEL=(\\S+)$").matcher(Files.readString(EMR.resolve("create-cluster.sh")));
    assertTrue(label.find(), "create-cluster.sh pins RELEASE_LABEL");
    String flinkOfLabel = null;
    for (String line : Files.readAllLines(EMR.resolve("emr-flink-versions.tsv"))) {
      String[] f = line.split("\t");
      if (f[0].equals(label.group(1))) {
        flinkOfLabel = f[1];
      }
    }
    assertTrue(flinkOfLabel != null, label.group(1) + " is listed in emr-flink-versions.tsv");
    Matcher minor = Pattern.compile("<flink.minor>([0-9.]+)</flink.minor>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(minor.find());
    assertEquals(minor.group(1), flinkOfLabel.substring(0, flinkOfLabel.lastIndexOf('.')),
        label.group(1) + " ships Flink " + flinkOfLabel + " but the runner is beam-runners-flink-" + minor.group(1));
    Matcher resolved = Pattern.compile("flink-runtime-([0-9]+\\.[0-9]+)\\.[0-9]+\\.jar").matcher(ForkedRun.classpath("flink"));
    assertTrue(resolved.find(), "flink-runtime on the Flink runner's classpath");
    assertEquals(minor.group(1), resolved.group(1), "the resolved Flink is the runner's minor");
  }

  @Test
  void catalogDdlIsTheGeneratorsOutputForEveryZone() throws Exception {
    List<String> files;
    try (Stream<Path> list = Files.list(EMR.resolve("catalog"))) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(
        AthenaDdl.tables().stream().map(t -> t.name() + ".sql").sorted().toList(), files, "one file per zone");
    for (AthenaDdl.Table table : AthenaDdl.tables()) {
      assertEquals(
          AthenaDdl.ddl(table),
          Files.readString(EMR.resolve("catalog").resolve(table.name() + ".sql")),
          table.name() + ".sql differs from the writers' schema: regenerate it with dev.tripbeam.catalog.AthenaDdl "
              + "emr-bootstrap/catalog");
    }
  }

  @Test
  void createCatalogDryRunPrintsOneCallPerZoneAndCallsNothing() throws Exception {
    Run r = run(Map.of("LAKE", "s3://acme-lake/curated/"), "bash", EMR.resolve("create-catalog.sh").toString(), "--dry-run");
    assertEquals(0, r.exit(), r.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    String[] lines = r.out().trim().split("\n");
    assertEquals(1 + AthenaDdl.tables().size(), lines.length, r.out());
    assertTrue(lines[0].startsWith("aws glue create-database --region us-east-1 "), lines[0]);
    for (int i = 1; i < lines.length; i++) {
      assertTrue(lines[i].startsWith("aws athena start-query-execution "), lines[i]);
      assertTrue(lines[i].contains("OutputLocation=s3://acme-lake/athena-results/"), lines[i]);
      assertTrue(lines[i].contains("LOCATION \\'s3://acme-lake/curated/"), lines[i]);
      assertFalse(lines[i].contains("${LAKE}"), lines[i]);
    }
    assertTrue(r.out().contains("pickup_date=${pickup_date}/"), "the projection's template stays Athena's");
  }

  @Test
  void createCatalogRefusesUnknownArgumentsAndAMissingLakeAndCallsNothing() throws Exception {
    Run help = run(Map.of(), "bash", EMR.resolve("create-catalog.sh").toString(), "--help");
    assertEquals(0, help.exit(), help.out());
    assertTrue(help.out().contains("--dry-run"), help.out());
    Run unknown = run(Map.of("LAKE", "s3://acme-lake/curated"), "bash", EMR.resolve("create-catalog.sh").toString(), "--dryrun");
    assertEquals(2, unknown.exit(), unknown.out());
    assertTrue(unknown.out().contains("unknown argument '--dryrun'"), unknown.out());
    Run noLake = run(Map.of(), "bash", EMR.resolve("create-catalog.sh").toString(), "--dry-run");
    assertEquals(2, noLake.exit(), noLake.out());
    assertTrue(noLake.out().contains("set LAKE"), noLake.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "nothing may call aws");
  }
}
