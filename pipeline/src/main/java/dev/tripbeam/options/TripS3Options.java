package dev.tripbeam.options;

import dev.tripbeam.io.PathStyleS3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * S3 access for {@code s3://} inputs and outputs. Region ({@code --awsRegion}) and endpoint override
 * ({@code --endpoint}) are Beam's own options; credentials come only from the standard AWS provider chain or a named
 * profile, never from the command line.
 */
public interface TripS3Options extends S3Options {
  @Description(
      "Address buckets path-style (http://host/bucket/key), as S3 servers on localhost and most S3-compatible "
          + "stores need.")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);

  @Description(
      "Named profile of the AWS shared config/credentials files to take credentials from. Default: the standard "
          + "provider chain (environment, system properties, web identity, profile, container, instance role).")
  String getAwsProfile();

  void setAwsProfile(String value);

  @Description(
      "KMS key id or ARN: outputs are encrypted with SSE-KMS under this key. Without it, S3 outputs ask for "
          + "default server-side encryption (SSE-S3, AES256).")
  String getSseKmsKeyId();

  void setSseKmsKeyId(String value);

  /**
   * Turns tripbeam's S3 options into Beam's: the credentials provider, the client factory and the encryption.
   *
   * @throws IllegalArgumentException when credentials were given another way than the chain or a profile
   */
  static void apply(TripS3Options options) {
    AwsCredentialsProvider given = options.getAwsCredentialsProvider();
    if (given != null
        && !(given instanceof DefaultCredentialsProvider)
        && !(given instanceof ProfileCredentialsProvider)) {
      throw new IllegalArgumentException(
          "credentials come only from the AWS provider chain or --awsProfile; remove --awsCredentialsProvider");
    }
    if (options.getAwsProfile() != null && !options.getAwsProfile().isBlank()) {
      options.setAwsCredentialsProvider(ProfileCredentialsProvider.create(options.getAwsProfile()));
    }
    if (options.getS3PathStyleAccess()) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    if (options.getEndpoint() != null && options.getAwsRegion() == null) {
      // An endpoint override alone (a local S3 server) still needs a region to sign requests.
      options.setAwsRegion(Region.US_EAST_1);
    }
    String kmsKey = options.getSseKmsKeyId();
    if (kmsKey != null && !kmsKey.isBlank()) {
      options.setSSEAlgorithm("aws:kms");
      options.setSSEKMSKeyId(kmsKey);
    } else if (options.getSSEAlgorithm() == null) {
      options.setSSEAlgorithm("AES256");
    }
  }
}
