package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tripbeam.fixtures.Clusters;
import dev.tripbeam.fixtures.ForkedRun;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  static final Path ROOT = Clusters.ROOT;
  static final Path EMR = ROOT.resolve("emr-bootstrap");
  @TempDir Path tmp;

  private record Run(int exit, String out) {}

  private Run run(Map<String, String> env, String... command) throws Exception {
    Path fakeBin = Files.createDirectories(tmp.resolve("bin"));
    Path fakeAws = fakeBin.resolve("aws");
    Files.writeString(fakeAws, "#!/bin/sh\necho \"$@\" >> '" + tmp.resolve("aws-called") + "'\nexit 1\n");
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
    command.add(ROOT.resolve("bin/tripbeam-tool").toString());
    command.add(ROOT.resolve("bin/tripbeam").toString());
    assertTrue(command.size() > 6, command::toString);
    Run r = run(Map.of(), command.toArray(new String[0]));
    assertEquals(0, r.exit(), "shellcheck (Debian package shellcheck, installed by .ci/run):\n" + r.out());
  }

  private static JsonNode classification(JsonNode config, String name) {
    for (JsonNode c : config) {
      if (c.get("Classification").asText().equals(name)) {
        return c.get("Properties");
      }
    }
    throw new AssertionError("no " + name + " classification in " + config);
  }

  @Test
  void configurationsAreValidAndSayOnlyWhatEmrDoesNotAlready() throws Exception {
    JsonNode config = new ObjectMapper().readTree(EMR.resolve("configurations.json").toFile());
    JsonNode flink = classification(config, "flink-conf");
    JsonNode spark = classification(config, "spark-defaults");
    JsonNode yarn = classification(config, "yarn-site");
    assertEquals("true", yarn.path("yarn.node-labels.enabled").asText(), "node labels are off by default since EMR 6");
    assertEquals(
        "CORE", yarn.path("yarn.node-labels.am.default-node-label-expression").asText(),
        "the Flink JobManager and the Spark driver stay on core (on-demand) nodes, not on spot task nodes");
    assertEquals("8", flink.get("taskmanager.numberOfTaskSlots").asText(), "m6i.2xlarge has 8 vCPUs");
    assertTrue(flink.has("taskmanager.memory.process.size") && flink.has("jobmanager.memory.process.size"), "explicit sizes");
    assertTrue(flink.has("restart-strategy.type") && flink.has("execution.checkpointing.interval"));
    assertEquals(
        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
        flink.path("metrics.reporter.prom.factory.class").asText());
    for (String restated :
        List.of("taskmanager.memory.managed.fraction", "jobmanager.execution.failover-strategy", "execution.checkpointing.mode")) {
      assertFalse(flink.has(restated), restated + " restates Flink's default");
    }
    assertFalse(flink.has("execution.runtime-mode"), "Beam picks batch for bounded pipelines; streaming jobs stay streaming");
    assertFalse(spark.toString().contains("--add-opens"), "EMR's Spark sets the Java 17 --add-opens itself");
    assertFalse(spark.has("spark.dynamicAllocation.enabled"), "on by default on EMR");
    JsonNode fleets = new ObjectMapper().readTree(Files.readString(EMR.resolve("instance-fleets.json")).replace("CORE_UNITS", "2"));
    boolean graviton = false;
    for (JsonNode fleet : fleets) {
      assertTrue(fleet.get("InstanceTypeConfigs").size() >= 3, "several instance types: " + fleet.get("Name"));
      for (JsonNode type : fleet.get("InstanceTypeConfigs")) {
        graviton |= type.get("InstanceType").asText().matches("[a-z]+[0-9]+g\\..*");
      }
      if (!fleet.get("InstanceFleetType").asText().equals("MASTER")) {
        assertTrue(fleet.has("ResizeSpecifications"), "managed scaling's resizes: " + fleet.get("Name"));
      }
      if (fleet.get("InstanceFleetType").asText().equals("TASK")) {
        assertTrue(fleet.at("/ResizeSpecifications/SpotResizeSpecification/TimeoutDurationMinutes").asInt() >= 5);
      }
    }
    assertTrue(graviton, "a Graviton type in the fleets");
    assertTrue(
        Files.readString(EMR.resolve("instance-fleets.json")).contains("\"InstanceType\": \"m6i.2xlarge\""),
        "the slots match the core type");
    JsonNode security = new ObjectMapper().readTree(EMR.resolve("security-configuration.json").toFile());
    assertTrue(security.at("/EncryptionConfiguration/EnableAtRestEncryption").asBoolean());
    assertTrue(security.at("/EncryptionConfiguration/EnableInTransitEncryption").asBoolean());
    assertEquals("SSE-KMS", security.at("/EncryptionConfiguration/AtRestEncryptionConfiguration/S3EncryptionConfiguration/EncryptionMode").asText());
  }

  @Test
  void nodesRoleGrantsWhatTheNodesNeedAndNothingWider() throws Exception {
    JsonNode policy = new ObjectMapper().readTree(EMR.resolve("iam-policy-nodes.json").toFile());
    java.util.Set<String> actions = LakePolicyTest.allowedActions(policy);
    assertEquals(
        java.util.Set.of(
            "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListBucket",
            "cloudwatch:PutMetricData"),
        actions);
    assertEquals("tripbeam", policy.at("/Statement/4/Condition/StringEquals/cloudwatch:namespace").asText());
    Run roles =
        run(Map.of("LAKE_BUCKET", "acme-lake", "ACCOUNT_ID", "123456789012", "LAKE_KEY_ID", "k-1"), "bash",
            EMR.resolve("create-roles.sh").toString(), "--dry-run");
    assertEquals(0, roles.exit(), roles.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    assertTrue(roles.out().contains("aws iam create-role --role-name tripbeam-emr-nodes "), roles.out());
    assertTrue(roles.out().contains("aws iam add-role-to-instance-profile --instance-profile-name tripbeam-emr-nodes"), roles.out());
    Matcher rendered = Pattern.compile("--policy-document file://(\\S+)").matcher(roles.out());
    int policies = 0;
    while (rendered.find()) {
      String text = Files.readString(Path.of(rendered.group(1)));
      new ObjectMapper().readTree(text);
      for (String placeholder : List.of("LAKE_BUCKET", "RAW_BUCKET", "ACCOUNT_ID", "REGION", "KEY_ID", "SERVING_SECRET_NAME", "GLUE_DATABASE", "ROLE_NAME")) {
        assertFalse(text.contains(placeholder), placeholder + " left in " + rendered.group(1));
      }
      policies++;
    }
    assertEquals(3, policies, "the nodes' policy, the lake's, and the service role's right to pass the nodes' role");
    assertTrue(
        Files.readString(EMR.resolve("create-cluster.sh")).contains("INSTANCE_PROFILE (create-roles.sh's)")
            && Files.readString(EMR.resolve("cluster-settings.sh")).contains("INSTANCE_PROFILE=${INSTANCE_PROFILE:-tripbeam-emr-nodes}"),
        "the cluster runs as the dedicated role, not EMR_EC2_DefaultRole");
  }

  @Test
  void everyScriptPrintsUsageOnHelpAndRefusesUnknownArgumentsWithoutCallingAws() throws Exception {
    for (String script :
        List.of("create-cluster.sh", "submit.sh", "create-catalog.sh", "create-roles.sh", "create-security-configuration.sh",
            "deploy-state-machine.sh", "deploy-alarms.sh")) {
      Run help = run(Map.of(), "bash", EMR.resolve(script).toString(), "--help");
      assertEquals(0, help.exit(), script + " --help: " + help.out());
      assertTrue(help.out().contains("--dry-run"), script + " --help prints its usage: " + help.out());
      assertFalse(help.out().contains("set -euo pipefail") || help.out().contains("HERE=") || help.out().contains("source "),
          script + " --help prints its header, not its code: " + help.out());
      Run unknown = run(Map.of(), "bash", EMR.resolve(script).toString(), "--dryrun");
      assertEquals(2, unknown.exit(), script + " --dryrun: " + unknown.out());
      assertTrue(unknown.out().contains("unknown argument '--dryrun'"), script + ": " + unknown.out());
      assertFalse(Files.exists(tmp.resolve("aws-called")), script + " called aws: " + readCalls());
    }
    Run defaultSubnet = run(Map.of(), "bash", EMR.resolve("create-cluster.sh").toString());
    assertEquals(2, defaultSubnet.exit(), defaultSubnet.out());
    assertTrue(defaultSubnet.out().contains("set SUBNET_IDS"), defaultSubnet.out());
    Run placeholderSubnet = run(Map.of("SUBNET_IDS", "subnet-00000000"), "bash", EMR.resolve("create-cluster.sh").toString(), "--dry-run");
    assertEquals(2, placeholderSubnet.exit(), "subnet-00000000 is a placeholder, not a subnet: " + placeholderSubnet.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "nothing may call aws: " + readCalls());
  }

  private String readCalls() throws java.io.IOException {
    return Files.exists(tmp.resolve("aws-called")) ? Files.readString(tmp.resolve("aws-called")) : "";
  }

  /** create-cluster.sh --dry-run's create-cluster call, and the JSON of its fleets and configurations. */
  private record ClusterCall(String line, JsonNode fleets, JsonNode configurations) {}

  private ClusterCall clusterDryRun() throws Exception {
    Run r = run(CLUSTER_ENV, "bash", EMR.resolve("create-cluster.sh").toString(), "--dry-run");
    assertEquals(0, r.exit(), r.out());
    String[] lines = r.out().trim().split("\n");
    assertEquals(2, lines.length, r.out());
    Matcher fleets = Pattern.compile("--instance-fleets file://(\\S+)").matcher(lines[1]);
    Matcher conf = Pattern.compile("--configurations file://(\\S+)").matcher(lines[1]);
    assertTrue(fleets.find() && conf.find(), lines[1]);
    ObjectMapper json = new ObjectMapper();
    return new ClusterCall(
        lines[1], json.readTree(Path.of(fleets.group(1)).toFile()), json.readTree(Path.of(conf.group(1)).toFile()));
  }

  private static final Map<String, String> CLUSTER_ENV =
      Map.of("LAKE_BUCKET", "acme-lake", "SUBNET_IDS", "subnet-0a1b2c3d,subnet-1a2b3c4d");

  @Test
  void createClusterDryRunPrintsTheCallsAndCallsNothing() throws Exception {
    ClusterCall call = clusterDryRun();
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    String create = call.line();
    for (String part :
        List.of(
            "aws emr create-cluster ", "--release-label emr-7.5.0", "--applications Name=Flink Name=Spark",
            "--managed-scaling-policy ComputeLimits=", "--auto-termination-policy IdleTimeout=3600",
            "--step-concurrency-level 1", "--security-configuration tripbeam", "--service-role EMR_DefaultRole_V2",
            "InstanceProfile=tripbeam-emr-nodes", "--log-uri s3://acme-lake/emr-logs/",
            "--bootstrap-actions Path=s3://acme-lake/tripbeam/bootstrap.sh",
            "SubnetIds=\\[subnet-0a1b2c3d\\,subnet-1a2b3c4d\\]", "--tags cost-center=", " purpose=", " ttl=")) {
      assertTrue(create.contains(part), part + " in\n" + create);
    }
    List<String> types = new ArrayList<>();
    call.fleets().forEach(f -> types.add(f.get("InstanceFleetType").asText()));
    assertEquals(List.of("MASTER", "CORE", "TASK"), types);
    assertEquals(2, call.fleets().get(1).get("TargetOnDemandCapacity").asInt(), "CORE_UNITS rendered");
    assertTrue(call.fleets().get(2).get("TargetSpotCapacity").asInt() > 0);
    assertTrue(call.configurations().toString().contains("s3://acme-lake/flink/checkpoints") && !call.configurations().toString().contains("LAKE_BUCKET"));
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
    assertTrue(script.contains("aws cloudwatch put-metric-data") && script.endsWith("exit $rc"), "metrics published, the run's exit code kept: " + script);
    assertTrue(step.get("ActionOnFailure").asText().equals("CONTINUE"), "a shared cluster takes the next step");
    String args = script.substring(script.indexOf("--input="), script.indexOf(";"));
    Run echoed = run(Map.of(), "bash", "-c", "set -- " + args + "; printf '%s' \"$1\"");
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
            + "dev.tripbeam.cli.TripCommand --serveOnly=true --output=s3://lake/curated "
            + "--servingJdbcUrl=jdbc:postgresql://db:5432/tripbeam"),
        serveScript);
    Run forOneRun = run(Map.of(), "bash", EMR.resolve("submit.sh").toString(), "--dry-run", "--transient", "j-TEST", "--", "--output=s3://lake/curated");
    assertTrue(forOneRun.out().contains("\\\"ActionOnFailure\\\":\\\"TERMINATE_CLUSTER\\\""), "a cluster made for the run ends with it: " + forOneRun.out());
    Run bootstrap = run(Map.of(), "bash", EMR.resolve("bootstrap.sh").toString(), "--dry-run");
    assertEquals(0, bootstrap.exit(), bootstrap.out());
    assertTrue(bootstrap.out().contains("sudo mkdir -p /mnt/tripbeam/flink-tmp"), bootstrap.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
  }

  /** The asl-validator npm package (4.0.0), which runners-config/test.sh installs under target/node. */
  static Path aslValidator() {
    Path bin = ROOT.resolve("target/node/node_modules/.bin/asl-validator");
    assertTrue(Files.isExecutable(bin), "asl-validator is installed by runners-config/test.sh (npm): " + bin);
    return bin;
  }

  @Test
  void stateMachineIsValidAslAndCreatesTheClusterCreateClusterCreates() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(CLUSTER_ENV);
    env.put("STATE_MACHINE_ROLE_ARN", "arn:aws:iam::123456789012:role/tripbeam-sfn");
    env.put("PIPELINE_ARGS", "--input=s3://raw/trips/ --output=s3://acme-lake/curated --incremental=true");
    Run deploy = run(env, "bash", EMR.resolve("deploy-state-machine.sh").toString(), "--dry-run");
    assertEquals(0, deploy.exit(), deploy.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    String[] calls = deploy.out().trim().split("\n");
    assertEquals(2, calls.length, deploy.out());
    assertTrue(calls[0].startsWith("aws stepfunctions validate-state-machine-definition "), calls[0]);
    assertTrue(calls[1].startsWith("aws stepfunctions create-state-machine ") && calls[1].contains("--role-arn arn:aws:iam::123456789012:role/tripbeam-sfn"), calls[1]);
    Matcher file = Pattern.compile("--definition file://(\\S+)").matcher(calls[1]);
    assertTrue(file.find(), calls[1]);
    Path definition = Path.of(file.group(1));

    Run valid = run(Map.of(), aslValidator().toString(), "--json-path", definition.toString());
    assertEquals(0, valid.exit(), "asl-validator: " + valid.out());
    // The validator can fail: a state that goes nowhere is refused.
    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, Files.readString(definition).replace("\"Next\": \"TerminateCluster\"", "\"Next\": \"Nowhere\""));
    assertEquals(1, run(Map.of(), aslValidator().toString(), "--json-path", broken.toString()).exit(), "a Next to no state is invalid");

    JsonNode machine = new ObjectMapper().readTree(definition.toFile());
    JsonNode create = machine.at("/States/CreateCluster");
    assertEquals("arn:aws:states:::elasticmapreduce:createCluster.sync", create.get("Resource").asText());
    JsonNode p = create.get("Parameters");
    ClusterCall cli = clusterDryRun();
    assertEquals(cli.fleets(), p.at("/Instances/InstanceFleets"), "the same fleets as create-cluster.sh");
    assertEquals(cli.configurations(), p.get("Configurations"), "the same classifications as create-cluster.sh");
    assertEquals("[\"subnet-0a1b2c3d\",\"subnet-1a2b3c4d\"]", p.at("/Instances/Ec2SubnetIds").toString());
    String line = cli.line();
    assertTrue(line.contains("--release-label " + p.get("ReleaseLabel").asText() + " "));
    assertTrue(line.contains("--auto-termination-policy IdleTimeout=" + p.at("/AutoTerminationPolicy/IdleTimeout").asInt() + " "));
    assertTrue(line.contains("--step-concurrency-level " + p.get("StepConcurrencyLevel").asInt() + " "));
    assertEquals(1, p.get("StepConcurrencyLevel").asInt(), "one writer per lake");
    assertTrue(line.contains("--security-configuration " + p.get("SecurityConfiguration").asText() + " "));
    assertTrue(line.contains("--service-role " + p.get("ServiceRole").asText() + " "));
    assertTrue(line.contains("InstanceProfile=" + p.get("JobFlowRole").asText() + " "));
    assertTrue(line.contains("--log-uri " + p.get("LogUri").asText() + " "));
    assertTrue(line.contains("Path=" + p.at("/BootstrapActions/0/ScriptBootstrapAction/Path").asText() + "\\,"));
    JsonNode limits = p.at("/ManagedScalingPolicy/ComputeLimits");
    assertTrue(line.contains(
        "MinimumCapacityUnits=" + limits.get("MinimumCapacityUnits").asInt() + "\\,MaximumCapacityUnits=" + limits.get("MaximumCapacityUnits").asInt()
            + "\\,MaximumOnDemandCapacityUnits=" + limits.get("MaximumOnDemandCapacityUnits").asInt() + "\\,MaximumCoreCapacityUnits="
            + limits.get("MaximumCoreCapacityUnits").asInt()), line);
    for (JsonNode tag : p.get("Tags")) {
      assertTrue(line.contains(tag.get("Key").asText() + "=" + tag.get("Value").asText()), tag + " in " + line);
    }
    // The step is submit.sh's Flink step with the pipeline's arguments; the cluster ends on success and on failure.
    JsonNode step = machine.at("/States/RunTripbeam");
    assertEquals("arn:aws:states:::elasticmapreduce:addStep.sync", step.get("Resource").asText());
    String script = step.at("/Parameters/Step/HadoopJarStep/Args/2").asText();
    assertTrue(script.contains("flink run -m yarn-cluster") && script.contains("--input=s3://raw/trips/ --output=s3://acme-lake/curated --incremental=true"), script);
    assertEquals("TerminateCluster", step.get("Next").asText());
    assertEquals("TerminateClusterAfterFailure", step.at("/Catch/0/Next").asText());
    assertEquals("Fail", machine.at("/States/" + machine.at("/States/TerminateClusterAfterFailure/Next").asText() + "/Type").asText());
    for (String task : List.of("CreateCluster", "RunTripbeam")) {
      JsonNode retry = machine.at("/States/" + task + "/Retry/0");
      assertTrue(retry.get("MaxAttempts").asInt() >= 1 && retry.get("BackoffRate").asDouble() > 1, task + " retries with backoff");
    }
    assertEquals("arn:aws:states:::elasticmapreduce:terminateCluster.sync", machine.at("/States/TerminateCluster/Resource").asText());
  }

  @Test
  void alarmsAreValidPutMetricAlarmInputs() throws Exception {
    Map<String, String> env =
        Map.of(
            "ALARM_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:tripbeam-ops", "LAKE", "s3://acme-lake/curated/",
            "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:tripbeam-run", "CLUSTER_ID", "j-2AXXXXXXGAPLF");
    Run deploy = run(env, "bash", EMR.resolve("deploy-alarms.sh").toString(), "--dry-run");
    assertEquals(0, deploy.exit(), deploy.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    java.util.Set<String> allowed =
        java.util.Set.of(
            "AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
            "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
            "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData",
            "EvaluateLowSampleCountPercentile", "Metrics", "Tags", "ThresholdMetricId");
    java.util.Set<String> operators =
        java.util.Set.of("GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold");
    Map<String, JsonNode> byMetric = new java.util.TreeMap<>();
    Matcher file = Pattern.compile("aws cloudwatch put-metric-alarm --region us-east-1 --cli-input-json file://(\\S+)").matcher(deploy.out());
    while (file.find()) {
      JsonNode alarm = new ObjectMapper().readTree(Path.of(file.group(1)).toFile());
      alarm.fieldNames().forEachRemaining(f -> assertTrue(allowed.contains(f), f + " is not a PutMetricAlarm field"));
      for (String required : List.of("AlarmName", "MetricName", "Namespace", "Statistic", "Period", "EvaluationPeriods", "Threshold", "ComparisonOperator")) {
        assertTrue(alarm.has(required), required + " in " + alarm);
      }
      assertTrue(operators.contains(alarm.get("ComparisonOperator").asText()), alarm.toString());
      assertTrue(List.of("SampleCount", "Average", "Sum", "Minimum", "Maximum").contains(alarm.get("Statistic").asText()));
      assertEquals(0, alarm.get("Period").asInt() % 60, "a period of whole minutes");
      assertTrue(alarm.get("Threshold").isNumber(), alarm.toString());
      assertEquals("arn:aws:sns:us-east-1:123456789012:tripbeam-ops", alarm.at("/AlarmActions/0").asText());
      assertFalse(alarm.toString().matches(".*(ALARM_TOPIC_ARN|STATE_MACHINE_ARN|CLUSTER_ID|MAX_RUN_SECONDS|REJECTED_PERCENT|\"LAKE\").*"), alarm.toString());
      byMetric.put(alarm.get("Namespace").asText() + "/" + alarm.get("MetricName").asText(), alarm);
    }
    assertEquals(
        List.of("AWS/ElasticMapReduce/IsIdle", "AWS/States/ExecutionsFailed", "tripbeam/RejectedShare", "tripbeam/RunSeconds"),
        List.copyOf(byMetric.keySet()));
    assertEquals(300, byMetric.get("tripbeam/RunSeconds").get("Threshold").asInt(), "a run longer than 5 minutes");
    assertEquals("s3://acme-lake/curated", byMetric.get("tripbeam/RunSeconds").at("/Dimensions/0/Value").asText(), "the Lake the runs publish under");
    assertEquals("j-2AXXXXXXGAPLF", byMetric.get("AWS/ElasticMapReduce/IsIdle").at("/Dimensions/0/Value").asText());
    Run withoutCluster = run(Map.of("ALARM_TOPIC_ARN", env.get("ALARM_TOPIC_ARN"), "LAKE", env.get("LAKE"), "STATE_MACHINE_ARN", env.get("STATE_MACHINE_ARN")),
        "bash", EMR.resolve("deploy-alarms.sh").toString(), "--dry-run");
    assertEquals(3, withoutCluster.out().trim().split("\n").length, "no idle alarm without a long-running cluster: " + withoutCluster.out());
    Run noTopic = run(Map.of(), "bash", EMR.resolve("deploy-alarms.sh").toString(), "--dry-run");
    assertEquals(2, noTopic.exit(), noTopic.out());
  }

  @Test
  void releaseLabelShipsTheFlinkMinorOfTheRunner() throws Exception {
    Matcher label = Pattern.compile("(?m)^RELEASE_LABEL=(\\S+)$").matcher(Files.readString(EMR.resolve("cluster-settings.sh")));
    assertTrue(label.find(), "cluster-settings.sh pins RELEASE_LABEL");
    String flinkOfLabel = null;
    Matcher minor = Pattern.compile("<flink.minor>([0-9.]+)</flink.minor>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertTrue(minor.find());
    Map<String, String> table = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(EMR.resolve("emr-flink-versions.tsv"))) {
      String[] f = line.split("\t");
      if (f[0].startsWith("emr-")) {
        table.put(f[0], f[1]);
      }
    }
    flinkOfLabel = table.get(label.group(1));
    assertTrue(flinkOfLabel != null, label.group(1) + " is listed in emr-flink-versions.tsv");
    // AWS's release tables (Flink release history): 7.4.0 and 7.5.0 ship 1.19.1, 7.6.0 and 7.7.0 ship 1.20.0.
    assertEquals("1.19.1-amzn-0", table.get("emr-7.4.0"));
    assertEquals("1.19.1-amzn-1", table.get("emr-7.5.0"));
    assertEquals("1.20.0-amzn-0", table.get("emr-7.6.0"));
    assertEquals("1.20.0-amzn-1", table.get("emr-7.7.0"));
    for (Map.Entry<String, String> row : table.entrySet()) {
      // The guard refuses every label whose Flink is not the runner's minor.
      Run guard =
          run(Map.of("SUBNET_IDS", "subnet-0a1b2c3d"), "bash", "-c",
              "source \"$0\"; DRY_RUN=true; RELEASE_LABEL=" + row.getKey() + "; cluster_settings_check test && echo accepted",
              EMR.resolve("cluster-settings.sh").toString());
      boolean runnerMinor = row.getValue().startsWith(minor.group(1) + ".");
      assertEquals(runnerMinor ? 0 : 2, guard.exit(), row + ": " + guard.out());
    }
    try (Stream<Path> docs = Stream.concat(Files.walk(ROOT.resolve("docs")), Stream.of(ROOT.resolve("README.md"), EMR.resolve("README.md")))) {
      for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
        for (String line : Files.readAllLines(doc)) {
          assertFalse(
              line.matches(".*emr-7\\.4\\.0 (to|-|–) emr-7\\.6\\.0.*") || line.matches(".*emr-7\\.6\\.0[^.]*1\\.19.*"),
              doc + " still says emr-7.6.0 ships Flink 1.19: " + line);
        }
      }
    }
    assertEquals(minor.group(1), flinkOfLabel.substring(0, flinkOfLabel.lastIndexOf('.')),
        label.group(1) + " ships Flink " + flinkOfLabel + " but the runner is beam-runners-flink-" + minor.group(1));
    Matcher resolved = Pattern.compile("flink-runtime-([0-9]+\\.[0-9]+)\\.[0-9]+\\.jar").matcher(ForkedRun.classpath("flink"));
    assertTrue(resolved.find(), "flink-runtime on the Flink runner's classpath");
    assertEquals(minor.group(1), resolved.group(1), "the resolved Flink is the runner's minor");
  }

  @Test
  void createCatalogDryRunPrintsTheDatabaseCallAlone() throws Exception {
    Run r = run(Map.of("LAKE", "s3://acme-lake/curated/", "DATABASE", "trips"), "bash",
        EMR.resolve("create-catalog.sh").toString(), "--dry-run");
    assertEquals(0, r.exit(), r.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "--dry-run must not call aws");
    List<String> lines = r.out().trim().lines().toList();
    assertEquals(1, lines.size(), "the tables are the runs' commits, not DDL: " + r.out());
    assertTrue(lines.get(0).startsWith("aws glue create-database --region us-east-1 "), lines.get(0));
    assertTrue(lines.get(0).contains("\\\"Name\\\":\\\"trips\\\""), lines.get(0));
    assertTrue(lines.get(0).contains("s3://acme-lake/curated"), lines.get(0));
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
    Run badName = run(Map.of("LAKE", "s3://acme-lake/curated", "DATABASE", "trips-db"), "bash",
        EMR.resolve("create-catalog.sh").toString(), "--dry-run");
    assertEquals(2, badName.exit(), badName.out());
    assertTrue(badName.out().contains("DATABASE takes letters, digits and '_'"), badName.out());
    assertFalse(Files.exists(tmp.resolve("aws-called")), "nothing may call aws");
  }
}
