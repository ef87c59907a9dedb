package dev.tripbeam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tripbeam.fixtures.AwsCli;
import dev.tripbeam.fixtures.ForkedRun;
import dev.tripbeam.fixtures.IamPolicies;
import dev.tripbeam.fixtures.LocalAws;
import dev.tripbeam.fixtures.RealFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EMR deployment run for real against an AWS API emulator: moto's server on 127.0.0.1 ({@link LocalAws}), the
 * real AWS CLI (which checks every call against botocore's service models before sending it), every emr-bootstrap
 * script in the runbook's order, and what the emulator then holds. The region is eu-central-1, given only as the
 * CLI's {@code AWS_DEFAULT_REGION}: a script that fell back to us-east-1 would make its resources where the next
 * one does not look (and eu-central-1 is one of the regions where CLI v1 does not pin EMR's endpoint, overriding
 * {@code AWS_ENDPOINT_URL}). What moto does not check (IAM is not enforced; describe-cluster drops the fleets,
 * managed scaling and auto-termination) is checked from the policy documents it holds and with botocore's
 * parameter validation; negative controls prove the emulator still refuses what AWS refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmrDeploymentTest {
  private static final String REGION = "eu-central-1";
  private static final String ACCOUNT = "123456789012";
  private static final String BUCKET = "acme-lake";
  private static final String NODES_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/tripbeam-emr-nodes";
  private static final String SERVICE_ROLE = "EMR_DefaultRole_V2";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path VALIDATE =
      Path.of("src", "test", "resources", "aws", "botocore_validate.py").toAbsolutePath();

  @TempDir static Path tmp;
  private LocalAws aws;
  private AwsCli cli;
  private String keyArn;
  private String topicArn;
  private String sfnRoleArn;
  private String subnets;
  private String clusterId;
  private String stateMachineArn;

  @BeforeAll
  void startEmulatorAndMakePrerequisites() throws Exception {
    aws = LocalAws.start(tmp.resolve("moto.log"));
    Map<String, String> env = new HashMap<>(aws.cliEnvironment(tmp.resolve("aws-home"), REGION));
    env.put("TMPDIR", Files.createDirectories(tmp.resolve("scratch")).toString());
    env.put("LAKE_BUCKET", BUCKET);
    cli = new AwsCli(env);
    cli.json("s3api", "create-bucket", "--bucket", BUCKET, "--create-bucket-configuration",
        "LocationConstraint=" + REGION);
    String vpc = cli.json("ec2", "create-vpc", "--cidr-block", "10.20.0.0/16").at("/Vpc/VpcId").asText();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      ids.add(cli.json("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.20." + i + ".0/24")
          .at("/Subnet/SubnetId").asText());
    }
    cli.json("ec2", "create-tags", "--resources", vpc, ids.get(0), ids.get(1),
        "--tags", "Key=for-use-with-amazon-emr-managed-policies,Value=true");
    subnets = String.join(",", ids);
    keyArn = cli.json("kms", "create-key", "--description", "tripbeam lake").at("/KeyMetadata/Arn").asText();
    topicArn = cli.json("sns", "create-topic", "--name", "tripbeam-alarms").at("/TopicArn").asText();
    sfnRoleArn = cli.json("iam", "create-role", "--role-name", "tripbeam-sfn",
        "--assume-role-policy-document", trust("states.amazonaws.com")).at("/Role/Arn").asText();
    cli.json("iam", "create-role", "--role-name", SERVICE_ROLE,
        "--assume-role-policy-document", trust("elasticmapreduce.amazonaws.com"));
    cli.json("iam", "attach-role-policy", "--role-name", SERVICE_ROLE,
        "--policy-arn", "arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2");
  }

  @AfterAll
  void stopEmulator() throws Exception {
    if (aws != null) {
      aws.close();
    }
  }

  @Test
  @Order(1)
  void theManagedServicePolicyAloneMayNotPassTheNodesRole() throws Exception {
    IamPolicies service = servicePolicies();
    assertTrue(service.allowsPassRole("arn:aws:iam::" + ACCOUNT + ":role/EMR_EC2_DefaultRole", "ec2.amazonaws.com"),
        "control: the managed policy passes EMR's default nodes role");
    assertFalse(service.allowsPassRole(NODES_ROLE, "ec2.amazonaws.com"), "the defect create-roles.sh now fixes");
  }

  @Test
  @Order(2)
  void createRolesMakesTheNodesRoleAndLetsTheServiceRolePassItToEc2Only() throws Exception {
    String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
    AwsCli.Result r = cli.with(Map.of("ACCOUNT_ID", ACCOUNT, "LAKE_KEY_ID", keyId)).script("create-roles.sh");
    assertTrue(r.ok(), r.toString());
    assertEquals(Set.of("tripbeam-nodes", "tripbeam-lake"),
        names(cli.json("iam", "list-role-policies", "--role-name", "tripbeam-emr-nodes").path("PolicyNames")));
    JsonNode profile = cli.json("iam", "get-instance-profile", "--instance-profile-name", "tripbeam-emr-nodes");
    assertEquals(NODES_ROLE, profile.at("/InstanceProfile/Roles/0/Arn").asText());
    JsonNode lake = cli.json("iam", "get-role-policy", "--role-name", "tripbeam-emr-nodes", "--policy-name",
        "tripbeam-lake").path("PolicyDocument");
    assertTrue(lake.toString().contains("arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId),
        "the lake key in the region the CLI uses: " + lake);
    IamPolicies service = servicePolicies();
    for (JsonNode role : profile.at("/InstanceProfile/Roles")) {
      assertTrue(service.allowsPassRole(role.path("Arn").asText(), "ec2.amazonaws.com"), role.toString());
      assertFalse(service.allowsPassRole(role.path("Arn").asText(), "lambda.amazonaws.com"), "to EC2 only");
    }
    assertFalse(service.allowsPassRole("arn:aws:iam::" + ACCOUNT + ":role/other", "ec2.amazonaws.com"));
  }

  @Test
  @Order(3)
  void securityConfigurationHoldsTheLakeKeyAndTheCertificates() throws Exception {
    AwsCli.Result r = cli.with(Map.of("LAKE_KEY_ARN", keyArn)).script("create-security-configuration.sh");
    assertTrue(r.ok(), r.toString());
    JsonNode stored = JSON.readTree(cli.json("emr", "describe-security-configuration", "--name", "tripbeam")
        .path("SecurityConfiguration").asText());
    String template = Files.readString(AwsCli.SCRIPTS.resolve("security-configuration.json"))
        .replace("LAKE_KEY_ARN", keyArn).replace("LAKE_BUCKET", BUCKET);
    assertEquals(JSON.readTree(template), stored);
  }

  @Test
  @Order(4)
  void clusterIsCreatedAsTheSettingsSay() throws Exception {
    AwsCli.Result r = cli.with(Map.of("SUBNET_IDS", subnets)).script("create-cluster.sh");
    assertTrue(r.ok(), r.toString());
    JsonNode clusters = cli.json("emr", "list-clusters").path("Clusters");
    assertEquals(1, clusters.size(), clusters.toString());
    clusterId = clusters.get(0).path("Id").asText();
    JsonNode c = cli.json("emr", "describe-cluster", "--cluster-id", clusterId).path("Cluster");
    assertEquals("emr-7.5.0", c.path("ReleaseLabel").asText());
    assertEquals(Set.of("Flink", "Spark"), names(c.path("Applications").findValues("Name")));
    assertEquals(rendered("configurations.json"), c.path("Configurations"));
    assertEquals("tripbeam", c.path("SecurityConfiguration").asText());
    assertEquals(1, c.path("StepConcurrencyLevel").asInt());
    assertEquals(SERVICE_ROLE, c.path("ServiceRole").asText());
    assertEquals("tripbeam-emr-nodes", c.at("/Ec2InstanceAttributes/IamInstanceProfile").asText());
    assertEquals("s3://" + BUCKET + "/emr-logs/", c.path("LogUri").asText());
    assertEquals(Set.of("cost-center=mobility-data", "purpose=tripbeam-batch", "ttl=7d"), tags(c.path("Tags")));
    assertEquals("s3://" + BUCKET + "/tripbeam/bootstrap.sh", c.at("/BootstrapActions/0/ScriptPath").asText());
    assertEquals(Files.size(AwsCli.SCRIPTS.resolve("bootstrap.sh")),
        cli.json("s3api", "head-object", "--bucket", BUCKET, "--key", "tripbeam/bootstrap.sh")
            .path("ContentLength").asLong(), "the bootstrap action's script uploaded");
  }

  @Test
  @Order(5)
  void eachRunnersStepCarriesItsCommand() throws Exception {
    String[] pipeline = {"--input=s3://raw/in/", "--output=s3://" + BUCKET + "/curated", "--incremental=true"};
    for (List<String> submit : List.of(
        List.of("--runner", "flink"), List.of("--runner", "spark"), List.of("--runner", "serve"),
        List.of("--transient", "--runner", "flink"))) {
      List<String> args = new ArrayList<>(submit);
      args.add(clusterId);
      args.add("--");
      args.addAll(List.of(pipeline));
      AwsCli.Result r = cli.script("submit.sh", args.toArray(String[]::new));
      assertTrue(r.ok(), submit + ": " + r);
    }
    List<JsonNode> steps = new ArrayList<>();
    cli.json("emr", "list-steps", "--cluster-id", clusterId).path("Steps").forEach(steps::add);
    assertEquals(4, steps.size(), steps.toString());
    java.util.Collections.reverse(steps);
    List<String> summary = new ArrayList<>();
    for (JsonNode s : steps) {
      JsonNode config = s.path("Config");
      summary.add(s.path("Name").asText() + " " + s.path("ActionOnFailure").asText() + " " + config.path("Jar").asText());
      String command = String.join(" ", strings(config.path("Args")));
      assertTrue(command.contains(String.join(" ", pipeline)), command);
    }
    assertEquals(List.of("tripbeam-flink CONTINUE command-runner.jar", "tripbeam-spark CONTINUE command-runner.jar",
        "tripbeam-serve CONTINUE command-runner.jar", "tripbeam-flink TERMINATE_CLUSTER command-runner.jar"), summary);
    assertTrue(argsOf(steps.get(0)).get(2).contains("flink run -m yarn-cluster"), steps.get(0).toString());
    assertEquals("spark-submit", argsOf(steps.get(1)).get(0));
    assertTrue(argsOf(steps.get(2)).get(2).contains("--serveOnly=true"), steps.get(2).toString());
    assertTrue(argsOf(steps.get(0)).get(2).contains("put-metric-data --region " + REGION), "metrics to the region");
  }

  @Test
  @Order(6)
  void theFlinkStepsCommandRunsTheJobAndPublishesItsMetrics() throws Exception {
    Path lake = tmp.resolve("step-lake");
    AwsCli.Result submitted = cli.script("submit.sh", clusterId, "--", "--input=" + RealFiles.YELLOW_CSV,
        "--output=" + lake);
    assertTrue(submitted.ok(), submitted.toString());
    String stepId = JSON.readTree(submitted.out()).path("StepIds").get(0).asText();
    List<String> args = argsOf(cli.json("emr", "describe-step", "--cluster-id", clusterId, "--step-id", stepId)
        .path("Step"));
    assertEquals(List.of("bash", "-c"), args.subList(0, 2));
    Path jar = Files.writeString(tmp.resolve("job.jar"), "the step copies the jar; the flink below runs the job");
    AwsCli.Result upload =
        cli.call("s3", "cp", jar.toString(), "s3://" + BUCKET + "/tripbeam/jars/tripbeam-flink-0.1.0-SNAPSHOT.jar");
    assertTrue(upload.ok(), upload.toString());
    Path bin = Files.createDirectories(tmp.resolve("master-bin"));
    Path flink = bin.resolve("flink");
    Files.writeString(flink, "#!/usr/bin/env bash\n"
        + "# flink run -m yarn-cluster -ynm NAME -c MAIN JAR ARGS: runs MAIN with ARGS on embedded Flink\n"
        + "while [ \"$1\" != -c ]; do shift; done\nmain=$2\nshift 3\n"
        + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -Xmx2g -cp '"
        + ForkedRun.classpath("flink") + "' \"$main\" \"$@\"\n");
    assertTrue(flink.toFile().setExecutable(true));
    AwsCli.Result step = cli.with(Map.of("PATH", bin + ":" + System.getenv("PATH"))).run(args);
    assertTrue(step.ok(), step.toString());
    Set<String> published = new TreeSet<>();
    for (JsonNode m : cli.json("cloudwatch", "list-metrics", "--namespace", "tripbeam").path("Metrics")) {
      published.add(m.path("MetricName").asText() + " " + m.at("/Dimensions/0/Name").asText() + "="
          + m.at("/Dimensions/0/Value").asText());
    }
    assertTrue(published.contains("RunSeconds Lake=" + lake), published.toString());
    assertTrue(published.contains("RejectedShare Lake=" + lake), published.toString());
    ObjectNode putMetricData = JSON.createObjectNode().put("Namespace", "tripbeam");
    putMetricData.set("MetricData", JSON.readTree(Files.readString(Path.of("/tmp/tripbeam-cloudwatch-metrics.json"))));
    assertEquals("valid", botocore("cloudwatch", "PutMetricData", putMetricData));
  }

  @Test
  @Order(7)
  void stateMachineIsValidatedCreatedAndUpdatedWhateverTheOutputFormat() throws Exception {
    AwsCli deploy = cli.with(Map.of("SUBNET_IDS", subnets, "STATE_MACHINE_ROLE_ARN", sfnRoleArn,
        "PIPELINE_ARGS", "--input=s3://raw/in/ --output=s3://" + BUCKET + "/curated --incremental=true"));
    AwsCli.Result created = deploy.script("deploy-state-machine.sh");
    assertTrue(created.ok(), created.toString());
    JsonNode machines = cli.json("stepfunctions", "list-state-machines").path("stateMachines");
    assertEquals(1, machines.size(), machines.toString());
    stateMachineArn = machines.get(0).path("stateMachineArn").asText();
    assertTrue(stateMachineArn.startsWith("arn:aws:states:" + REGION + ":"), stateMachineArn);
    JsonNode definition = definition();
    JsonNode cluster = definition.at("/States/CreateCluster/Parameters");
    assertEquals("emr-7.5.0", cluster.path("ReleaseLabel").asText());
    assertEquals(rendered("configurations.json"), cluster.path("Configurations"));
    JsonNode step = definition.at("/States/RunTripbeam/Parameters/Step");
    JsonNode printed = JSON.readTree(cli.script("submit.sh", "--print-step", "--runner", "flink", "--",
        "--input=s3://raw/in/", "--output=s3://" + BUCKET + "/curated", "--incremental=true").out());
    assertEquals(printed, step);
    assertEquals("valid", botocore("emr", "RunJobFlow", cluster));
    ObjectNode addSteps = JSON.createObjectNode().put("JobFlowId", clusterId);
    addSteps.putArray("Steps").add(step);
    assertEquals("valid", botocore("emr", "AddJobFlowSteps", addSteps));
    for (String format : List.of("text", "yaml")) {
      AwsCli.Result updated = deploy.with(Map.of("AWS_DEFAULT_OUTPUT", format, "STATE_MACHINE_ARN", stateMachineArn,
          "PIPELINE_ARGS", "--input=s3://raw/in/ --output=s3://" + BUCKET + "/curated --reprocess=2024-01-02"))
          .script("deploy-state-machine.sh");
      assertTrue(updated.ok(), format + ": " + updated);
      assertTrue(definition().toString().contains("--reprocess=2024-01-02"), format + ": updated");
    }
  }

  @Test
  @Order(8)
  void alarmsArePutAsValidCalls() throws Exception {
    AwsCli.Result r = cli.with(Map.of("ALARM_TOPIC_ARN", topicArn, "LAKE", "s3://" + BUCKET + "/curated",
        "STATE_MACHINE_ARN", stateMachineArn, "CLUSTER_ID", clusterId)).script("deploy-alarms.sh");
    assertTrue(r.ok(), r.toString());
    List<String> alarms = new ArrayList<>();
    for (JsonNode a : cli.json("cloudwatch", "describe-alarms").path("MetricAlarms")) {
      alarms.add(a.path("Namespace").asText() + "/" + a.path("MetricName").asText());
      assertEquals(List.of(topicArn), strings(a.path("AlarmActions")), a.toString());
    }
    alarms.sort(null);
    assertEquals(List.of("AWS/ElasticMapReduce/IsIdle", "AWS/States/ExecutionsFailed", "tripbeam/RejectedShare",
        "tripbeam/RunSeconds"), alarms);
    List<Path> files;
    try (Stream<Path> found = Files.walk(tmp.resolve("scratch"))) {
      files = found.filter(p -> p.getParent().getFileName().toString().startsWith("tripbeam-alarms.")).toList();
    }
    assertEquals(4, files.size(), files.toString());
    for (Path f : files) {
      assertEquals("valid", botocore("cloudwatch", "PutMetricAlarm", JSON.readTree(f.toFile())), f.toString());
    }
  }

  @Test
  @Order(9)
  void glueDatabaseIsCreatedOnceWhateverTheOutputFormat() throws Exception {
    AwsCli catalog = cli.with(Map.of("LAKE", "s3://" + BUCKET + "/curated/"));
    List<String> said = new ArrayList<>();
    for (String format : List.of("text", "yaml", "json")) {
      AwsCli.Result r = catalog.with(Map.of("AWS_DEFAULT_OUTPUT", format)).script("create-catalog.sh");
      assertTrue(r.ok(), format + ": " + r);
      said.add(r.out().trim());
    }
    assertEquals(List.of("create-catalog: the Glue database tripbeam created",
        "create-catalog: the Glue database tripbeam exists", "create-catalog: the Glue database tripbeam exists"), said);
    assertEquals("s3://" + BUCKET + "/curated",
        cli.json("glue", "get-database", "--name", "tripbeam").at("/Database/LocationUri").asText());
  }

  @Test
  @Order(10)
  void theEmulatorAndTheScriptsRefuseWhatAwsRefuses() throws Exception {
    AwsCli.Result policy = cli.call("iam", "put-role-policy", "--role-name", "tripbeam-emr-nodes", "--policy-name",
        "broken", "--policy-document", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Permit\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");
    assertNotEquals(0, policy.exit());
    assertTrue(policy.err().contains("MalformedPolicyDocument"), policy.toString());
    AwsCli.Result machine = cli.call("stepfunctions", "create-state-machine", "--name", "broken", "--role-arn",
        sfnRoleArn, "--definition", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Passs\",\"End\":true}}}");
    assertNotEquals(0, machine.exit());
    assertTrue(machine.err().contains("ASLParserException"), machine.toString());
    Path broken = Files.createDirectories(tmp.resolve("broken-bootstrap"));
    try (Stream<Path> files = Files.list(AwsCli.SCRIPTS)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, broken.resolve(f.getFileName()));
      }
    }
    Files.writeString(broken.resolve("state-machine.asl.json"),
        Files.readString(broken.resolve("state-machine.asl.json")).replace("\"Type\": \"Task\"", "\"Type\": \"Tusk\""));
    AwsCli.Result deploy = cli.with(Map.of("SUBNET_IDS", subnets, "STATE_MACHINE_ROLE_ARN", sfnRoleArn,
        "STATE_MACHINE_NAME", "broken")).run(List.of("bash", broken.resolve("deploy-state-machine.sh").toString()));
    assertEquals(1, deploy.exit(), deploy.toString());
    assertTrue(deploy.err().contains("Step Functions refuses the definition"), deploy.toString());
    assertEquals(1, cli.json("stepfunctions", "list-state-machines").path("stateMachines").size(), "none created");
    ObjectNode badCluster = JSON.createObjectNode().put("Name", "x").put("StepConcurrencyLevel", "one");
    badCluster.putObject("Instances");
    assertTrue(botocore("emr", "RunJobFlow", badCluster).contains("StepConcurrencyLevel"), "botocore checks types");
  }

  private JsonNode definition() throws Exception {
    return JSON.readTree(cli.json("stepfunctions", "describe-state-machine", "--state-machine-arn", stateMachineArn)
        .path("definition").asText());
  }

  /** The service role's policy documents as the emulator holds them: attached (default version) and inline. */
  private IamPolicies servicePolicies() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (JsonNode p : cli.json("iam", "list-attached-role-policies", "--role-name", SERVICE_ROLE)
        .path("AttachedPolicies")) {
      String arn = p.path("PolicyArn").asText();
      String version = cli.json("iam", "get-policy", "--policy-arn", arn).at("/Policy/DefaultVersionId").asText();
      docs.add(cli.json("iam", "get-policy-version", "--policy-arn", arn, "--version-id", version)
          .at("/PolicyVersion/Document"));
    }
    for (JsonNode name : cli.json("iam", "list-role-policies", "--role-name", SERVICE_ROLE).path("PolicyNames")) {
      docs.add(cli.json("iam", "get-role-policy", "--role-name", SERVICE_ROLE, "--policy-name", name.asText())
          .path("PolicyDocument"));
    }
    return new IamPolicies(docs);
  }

  /** botocore's verdict on {@code params} for {@code service}'s {@code operation}: "valid" or its report. */
  private String botocore(String service, String operation, JsonNode params) throws Exception {
    Path file = Files.createTempFile(tmp, operation, ".json");
    JSON.writeValue(file.toFile(), params);
    return cli.run(List.of("python3", VALIDATE.toString(), service, operation, file.toString())).out().trim();
  }

  /** An emr-bootstrap JSON file with this test's bucket. */
  private static JsonNode rendered(String name) throws Exception {
    return JSON.readTree(Files.readString(AwsCli.SCRIPTS.resolve(name)).replace("LAKE_BUCKET", BUCKET));
  }

  private static String trust(String service) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
        + service + "\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  private static List<String> argsOf(JsonNode step) {
    return strings(step.at("/Config/Args"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> names(Iterable<JsonNode> nodes) {
    Set<String> out = new TreeSet<>();
    nodes.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> tags(JsonNode tags) {
    Set<String> out = new TreeSet<>();
    tags.forEach(t -> out.add(t.path("Key").asText() + "=" + t.path("Value").asText()));
    return out;
  }
}
