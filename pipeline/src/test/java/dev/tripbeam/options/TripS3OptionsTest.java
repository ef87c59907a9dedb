package dev.tripbeam.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tripbeam.io.PathStyleS3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** tripbeam's S3 options become Beam's: encryption, client factory, credentials. */
class TripS3OptionsTest {
  private static TripS3Options parse(String... args) {
    TripS3Options options = PipelineOptionsFactory.fromArgs(args).as(TripS3Options.class);
    TripS3Options.apply(options);
    return options;
  }

  @Test
  void outputsAskForDefaultEncryptionUnlessAKmsKeyIsGiven() {
    TripS3Options plain = parse("--awsRegion=eu-west-1");
    assertEquals("AES256", plain.getSSEAlgorithm());
    assertNull(plain.getSSEKMSKeyId());
    TripS3Options kms = parse("--awsRegion=eu-west-1", "--sseKmsKeyId=arn:aws:kms:eu-west-1:111122223333:key/k1");
    assertEquals("aws:kms", kms.getSSEAlgorithm());
    assertEquals("arn:aws:kms:eu-west-1:111122223333:key/k1", kms.getSSEKMSKeyId());
  }

  @Test
  void pathStyleAccessAndALocalEndpointNeedNoOtherSetting() {
    TripS3Options local = parse("--endpoint=http://127.0.0.1:9000", "--s3PathStyleAccess=true");
    assertEquals(PathStyleS3ClientBuilderFactory.class, local.getS3ClientFactoryClass());
    assertEquals(Region.US_EAST_1, local.getAwsRegion());
    assertEquals(DefaultS3ClientBuilderFactory.class, parse("--awsRegion=eu-west-1").getS3ClientFactoryClass());
  }

  @Test
  void credentialsComeFromTheChainOrANamedProfileOnly() {
    assertTrue(parse("--awsRegion=eu-west-1", "--awsProfile=lake-writer").getAwsCredentialsProvider()
        instanceof ProfileCredentialsProvider);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                parse(
                    "--awsRegion=eu-west-1",
                    "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIAX\","
                        + "\"secretAccessKey\":\"hush\"}"));
    assertTrue(e.getMessage().contains("--awsProfile"), e.getMessage());
  }
}
