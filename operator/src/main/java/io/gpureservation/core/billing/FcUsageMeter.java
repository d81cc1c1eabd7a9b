package io.gpureservation.core.billing;

import java.math.BigDecimal;

/**
 * Meters Function Compute usage from the configured spec × time ({@code fc-cu-billing.zh.txt}):
 * usage is the configured spec times the duration, not what the function used. All results are
 * exact: milliseconds ÷ 1000 and MB ÷ 1024 are terminating decimals.
 *
 * <p>Instance modes: on demand, every item is metered over the execution time. A reserved instance
 * meters memory and disk over its whole running time; without idle mode vCPU and GPU are active the
 * whole time; with idle mode they are active while a request runs and idle otherwise.
 */
public final class FcUsageMeter {
  private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1024);

  /** A function's configured spec; {@code gpuSeries} null for a CPU function. */
  public record Spec(
      BigDecimal vcpu, BigDecimal memoryGB, BigDecimal diskGB, String gpuSeries, BigDecimal gpuGB) {
    public Spec {
      Money.requireNonNegative(vcpu, "vcpu");
      Money.requireNonNegative(memoryGB, "memoryGB");
      Money.requireNonNegative(diskGB, "diskGB");
      Money.requireNonNegative(gpuGB, "gpuGB");
    }
  }

  private final BigDecimal diskFreeGB;

  /**
   * @param diskFreeGB disk that is free of charge (the catalog's 0.5 GB)
   */
  public FcUsageMeter(BigDecimal diskFreeGB) {
    this.diskFreeGB = diskFreeGB;
  }

  /** vCPU spec × seconds (1 vCPU, 1500 ms → 1.5 vCPU·s). */
  public static BigDecimal vcpuSeconds(BigDecimal vcpu, long millis) {
    return vcpu.multiply(Money.seconds(millis));
  }

  /** Memory spec in MB ÷ 1024 × seconds (512 MB, 1500 ms → 0.75 GB·s). */
  public static BigDecimal memoryGBSecondsFromMB(BigDecimal memoryMB, long millis) {
    return memoryMB.divide(MB_PER_GB).multiply(Money.seconds(millis));
  }

  /** GPU memory spec × seconds (Ada 48 GB, 1 s → 48 GB·s). */
  public static BigDecimal gpuGBSeconds(BigDecimal gpuGB, long millis) {
    return gpuGB.multiply(Money.seconds(millis));
  }

  /** (disk spec − free disk, at least 0) × seconds (10 GB, 1 s → 9.5 GB·s). */
  public BigDecimal diskGBSeconds(BigDecimal diskGB, long millis) {
    return diskGB.subtract(diskFreeGB).max(BigDecimal.ZERO).multiply(Money.seconds(millis));
  }

  /** Usage of on-demand executions totalling {@code executionMillis}. */
  public FcUsage onDemand(Spec spec, long executionMillis, BigDecimal invocations) {
    return reserved(spec, executionMillis, 0, false, invocations);
  }

  /**
   * Usage of a reserved instance that ran {@code activeMillis} with requests and {@code idleMillis}
   * without. Without idle mode the idle time counts as active for vCPU and GPU.
   */
  public FcUsage reserved(
      Spec spec, long activeMillis, long idleMillis, boolean idleMode, BigDecimal invocations) {
    if (activeMillis < 0 || idleMillis < 0) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    long running = activeMillis + idleMillis;
    long active = idleMode ? activeMillis : running;
    long idle = idleMode ? idleMillis : 0;
    return new FcUsage(
        invocations,
        vcpuSeconds(spec.vcpu(), active),
        vcpuSeconds(spec.vcpu(), idle),
        spec.memoryGB().multiply(Money.seconds(running)),
        diskGBSeconds(spec.diskGB(), running),
        spec.gpuSeries(),
        gpuGBSeconds(spec.gpuGB(), active),
        gpuGBSeconds(spec.gpuGB(), idle));
  }
}
