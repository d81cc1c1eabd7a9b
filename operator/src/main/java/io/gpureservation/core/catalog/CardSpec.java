package io.gpureservation.core.catalog;

/**
 * The highest pod shape of a capacity reservation for (card type, card count), from the table in
 * {@code acs-gpu-pod-capacity-reservation.txt}.
 *
 * @param cardType canonical card type (e.g. {@code L20})
 * @param cards GPU cards per pod
 * @param cpuMillis vCPU × 1000
 * @param memoryBytes memory GiB × 2^30
 * @param gpuMemoryGBPerCard GPU memory of one card in GB
 */
public record CardSpec(
    String cardType, int cards, long cpuMillis, long memoryBytes, int gpuMemoryGBPerCard) {}
