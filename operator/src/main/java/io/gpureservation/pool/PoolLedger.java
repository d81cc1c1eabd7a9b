package io.gpureservation.pool;

import io.gpureservation.api.v1alpha1.PoolResources;
import io.gpureservation.api.v1alpha1.PoolSizeStatus;
import io.gpureservation.api.v1alpha1.ResidentInstance;
import io.gpureservation.api.v1alpha1.ResidentPoolSpec;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.api.v1alpha1.ResidentPoolSubscription;
import io.gpureservation.core.pool.Allocation;
import io.gpureservation.core.pool.PoolCapacity;
import io.gpureservation.core.pool.PoolPhase;
import io.gpureservation.core.pool.PoolSize;
import io.gpureservation.core.pool.Subscription;
import io.gpureservation.core.pool.Term;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Translates between the pool's status (the ledger, as stored) and the core's values. After a
 * restart, everything the operator knows about a pool comes back through here.
 */
final class PoolLedger {
  private PoolLedger() {}

  static boolean isActivated(ResidentPoolStatus status) {
    return status != null && status.getActivatedAt() != null;
  }

  static Term term(ResidentPoolStatus s) {
    return new Term(
        PoolPhase.valueOf(s.getPhase()),
        Instant.parse(s.getActivatedAt()),
        Instant.parse(s.getTermStart()),
        s.getTermMonthsPaid(),
        s.getAppliedRenewals(),
        new HashSet<>(s.getRemindersSent()));
  }

  static void writeTerm(ResidentPoolStatus s, Term term) {
    s.setPhase(term.phase().name());
    if (term.phase() == PoolPhase.Pending) {
      return; // not purchased: no term to record
    }
    s.setActivatedAt(term.activatedAt().toString());
    s.setTermStart(term.termStart().toString());
    s.setTermMonthsPaid(term.months());
    s.setExpiresAt(term.expiresAt().toString());
    s.setReleaseAt(term.releaseAt().toString());
    s.setAppliedRenewals(term.appliedRenewals());
    s.setRemindersSent(term.remindersSent().stream().sorted().toList());
  }

  static Subscription subscription(ResidentPoolSpec spec) {
    ResidentPoolSubscription sub = spec.getSubscription();
    return new Subscription(
        sub.getTermMonths(),
        Boolean.TRUE.equals(sub.getAutoRenew()),
        sub.getRenewals() == null ? 0 : sub.getRenewals());
  }

  static PoolSize requested(ResidentPoolSpec spec) {
    return new PoolSize(
        spec.getRegion(), spec.getCardType(), spec.getCards(), spec.getDiskPerCardGB());
  }

  static PoolSize inForce(ResidentPoolStatus s) {
    PoolSizeStatus size = s.getInForce();
    return new PoolSize(
        size.getRegion(), size.getCardType(), size.getCards(), size.getDiskPerCardGB());
  }

  static PoolSizeStatus sizeStatus(PoolSize size) {
    PoolSizeStatus s = new PoolSizeStatus();
    s.setRegion(size.region());
    s.setCardType(size.cardType());
    s.setCards(size.cards());
    s.setDiskPerCardGB(size.diskPerCardGB());
    return s;
  }

  static BigDecimal paid(ResidentPoolStatus s) {
    return s.getFees() == null || s.getFees().getPaid() == null
        ? BigDecimal.ZERO
        : new BigDecimal(s.getFees().getPaid());
  }

  /** Paid for the term in force; a status written before this field existed: all that was paid. */
  static BigDecimal termPaid(ResidentPoolStatus s) {
    return s.getFees() == null || s.getFees().getTermPaid() == null
        ? paid(s)
        : new BigDecimal(s.getFees().getTermPaid());
  }

  static List<Allocation> allocations(ResidentPoolStatus s) {
    if (s == null) {
      return List.of();
    }
    return s.getInstances().stream()
        .map(
            i ->
                new Allocation(
                    i.getUid(),
                    i.getPod(),
                    i.getFunction(),
                    new PoolCapacity(i.getCards(), i.getDiskBytes()),
                    i.getConcurrency(),
                    Instant.parse(i.getSince())))
        .toList();
  }

  /** The node each ledger line's pod was handed its held cards on (pod uid → node). */
  static Map<String, String> nodes(ResidentPoolStatus s) {
    Map<String, String> nodes = new HashMap<>();
    if (s != null) {
      s.getInstances().stream()
          .filter(i -> i.getNode() != null)
          .forEach(i -> nodes.put(i.getUid(), i.getNode()));
    }
    return nodes;
  }

  static ResidentInstance instance(Allocation a, String node) {
    ResidentInstance i = instance(a);
    i.setNode(node);
    return i;
  }

  static ResidentInstance instance(Allocation a) {
    ResidentInstance i = new ResidentInstance();
    i.setPod(a.pod());
    i.setUid(a.uid());
    i.setFunction(a.function());
    i.setCards(a.demand().cards());
    i.setDiskBytes(a.demand().diskBytes());
    i.setConcurrency(a.concurrency());
    i.setSince(a.since().toString());
    return i;
  }

  static PoolResources resources(PoolCapacity c) {
    PoolResources r = new PoolResources();
    r.setCards(c.cards());
    r.setDisk(disk(c.diskBytes()));
    return r;
  }

  /** Disk as a Kubernetes quantity: whole GiB as {@code NGi}, anything else in bytes. */
  static String disk(long bytes) {
    return bytes % PoolCapacity.GIB == 0 ? (bytes / PoolCapacity.GIB) + "Gi" : Long.toString(bytes);
  }
}
