package dev.tripbeam.model;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * A record that did not become a valid trip: the reason (a {@link RejectReason} code), the step that rejected
 * it, where it came from and the raw input, so that it can be inspected and replayed.
 */
@AutoValue
@DefaultSchema(AutoValueSchema.class)
public abstract class RejectedRecord {
  public abstract String getReason();

  public abstract String getStep();

  public abstract String getSourceFile();

  /** Row number within the source file (1 = first data row); 0 for a whole-file rejection. */
  public abstract long getRowNumber();

  /** The raw CSV line, a JSON rendering of a Parquet row, or for {@code unreadable_file} the path and error. */
  public abstract String getRaw();

  /** Human-readable detail, e.g. which field failed to parse. */
  public abstract String getDetail();

  public static RejectedRecord of(
      RejectReason reason, String step, String sourceFile, long rowNumber, String raw, String detail) {
    return new AutoValue_RejectedRecord.Builder()
        .setReason(reason.code())
        .setStep(step)
        .setSourceFile(sourceFile)
        .setRowNumber(rowNumber)
        .setRaw(raw)
        .setDetail(detail)
        .build();
  }

  public static Builder builder() {
    return new AutoValue_RejectedRecord.Builder();
  }

  /** Builder of {@link RejectedRecord}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setReason(String value);

    public abstract Builder setStep(String value);

    public abstract Builder setSourceFile(String value);

    public abstract Builder setRowNumber(long value);

    public abstract Builder setRaw(String value);

    public abstract Builder setDetail(String value);

    public abstract RejectedRecord build();
  }
}
