package dev.tripbeam.transforms;

import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Base of tripbeam's hand-written coders: they hold no state, so any two instances of one class are equal (Beam
 * compares coders, e.g. a GroupByKey's declared and inferred ones), and their encodings are deterministic.
 */
public abstract class StatelessCoder<T> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean equals(Object other) {
    return other != null && other.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }

  @Override
  public void verifyDeterministic() {}
}
