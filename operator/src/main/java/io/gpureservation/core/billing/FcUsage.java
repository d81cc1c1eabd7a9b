package io.gpureservation.core.billing;

import java.math.BigDecimal;

/**
 * Function Compute usage items of one function in one billing cycle ({@code fc-cu-billing.zh.txt},
 * "资源使用项"). Disk usage is billable disk, the free first 512 MB already deducted (see {@link
 * FcUsageMeter#diskGBSeconds}). {@code gpuSeries} (Tesla or Ada) selects the GPU CU factors and may
 * be null when there is no GPU usage.
 */
public record FcUsage(
    BigDecimal invocations,
    BigDecimal activeVcpuSeconds,
    BigDecimal idleVcpuSeconds,
    BigDecimal memoryGBSeconds,
    BigDecimal diskGBSeconds,
    String gpuSeries,
    BigDecimal activeGpuGBSeconds,
    BigDecimal idleGpuGBSeconds) {
  public FcUsage {
    Money.requireNonNegative(invocations, "invocations");
    Money.requireNonNegative(activeVcpuSeconds, "activeVcpuSeconds");
    Money.requireNonNegative(idleVcpuSeconds, "idleVcpuSeconds");
    Money.requireNonNegative(memoryGBSeconds, "memoryGBSeconds");
    Money.requireNonNegative(diskGBSeconds, "diskGBSeconds");
    Money.requireNonNegative(activeGpuGBSeconds, "activeGpuGBSeconds");
    Money.requireNonNegative(idleGpuGBSeconds, "idleGpuGBSeconds");
    if (gpuSeries == null && (activeGpuGBSeconds.signum() > 0 || idleGpuGBSeconds.signum() > 0)) {
      throw new IllegalArgumentException("gpuSeries is missing while GPU usage is not zero");
    }
  }

  /** Usage without GPU. */
  public static FcUsage cpu(
      BigDecimal invocations,
      BigDecimal activeVcpuSeconds,
      BigDecimal idleVcpuSeconds,
      BigDecimal memoryGBSeconds,
      BigDecimal diskGBSeconds) {
    return new FcUsage(
        invocations,
        activeVcpuSeconds,
        idleVcpuSeconds,
        memoryGBSeconds,
        diskGBSeconds,
        null,
        BigDecimal.ZERO,
        BigDecimal.ZERO);
  }
}
