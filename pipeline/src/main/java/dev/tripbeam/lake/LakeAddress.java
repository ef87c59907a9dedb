package dev.tripbeam.lake;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a lake's tables are, as a job's workers need it to open them: {@code --catalog} (null for the lake's own
 * SQLite catalog), {@code --catalogNamespace} and the lake's root.
 */
public record LakeAddress(@Nullable String catalog, String namespace, String root) implements Serializable {
  /** Opens the lake's catalog ({@link IcebergLake#open}). */
  public IcebergLake open() {
    return IcebergLake.open(catalog, namespace, new LakeLayout(root));
  }
}
