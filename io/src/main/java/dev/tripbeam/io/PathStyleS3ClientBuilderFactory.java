package dev.tripbeam.io;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client, with path-style addressing ({@code http://host:port/bucket/key}): needed by S3 servers on
 * localhost and by most S3-compatible stores, which cannot resolve {@code bucket.host} names. Everything else
 * (region, endpoint, credentials provider, HTTP settings) comes from Beam's default factory.
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
