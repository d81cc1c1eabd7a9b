package io.gpureservation.core.matching;

import java.time.Instant;

/** One ledger line: a pod holding a slot of a reservation since a time. */
public record Holding(String reservation, int slot, String podUid, String podName, Instant since) {}
