package io.gpureservation.pool;

import io.gpureservation.api.v1alpha1.PoolFees;
import io.gpureservation.api.v1alpha1.PoolFunctionStatus;
import io.gpureservation.api.v1alpha1.ResidentPool;
import io.gpureservation.api.v1alpha1.ResidentPoolConditions;
import io.gpureservation.api.v1alpha1.ResidentPoolStatus;
import io.gpureservation.cluster.Conditions;
import io.gpureservation.core.pool.Admission;
import io.gpureservation.core.pool.Allocation;
import io.gpureservation.core.pool.Fees;
import io.gpureservation.core.pool.FunctionUsage;
import io.gpureservation.core.pool.PoolCapacity;
import io.gpureservation.core.pool.PoolPhase;
import io.gpureservation.core.pool.PoolPod;
import io.gpureservation.core.pool.PoolPricing;
import io.gpureservation.core.pool.Refusal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a pool's status from a plan's decisions (docs/resident-pool.md "Status"): the term, sizes
 * and usage, the ledger, functions, fees and the Ready, SpecApplied and FeesComputed conditions. No
 * I/O.
 */
final class PoolStatusComposer {
  private final PoolPricing pricing;

  PoolStatusComposer(PoolPricing pricing) {
    this.pricing = pricing;
  }

  ResidentPoolStatus compose(
      ResidentPool pool,
      PoolTermPlanner.Outcome term,
      PoolCapacity capacity,
      List<Allocation> ledger,
      List<PoolPod> waiting,
      Instant now) {
    ResidentPoolStatus old = pool.getStatus() == null ? new ResidentPoolStatus() : pool.getStatus();
    ResidentPoolStatus s = new ResidentPoolStatus();
    Long generation = pool.getMetadata().getGeneration();
    s.setObservedGeneration(generation);
    PoolLedger.writeTerm(s, term.term());
    s.setInForce(PoolLedger.sizeStatus(term.inForce()));
    PoolCapacity used = Admission.used(ledger);
    s.setCapacity(PoolLedger.resources(capacity));
    s.setAllocated(PoolLedger.resources(used));
    s.setRemaining(PoolLedger.resources(capacity.minus(used)));
    s.setCardUsage(used.cards() + "/" + capacity.cards());
    s.setDiskUsage(PoolLedger.disk(used.diskBytes()) + "/" + PoolLedger.disk(capacity.diskBytes()));
    s.setInstances(ledger.stream().map(PoolLedger::instance).toList());
    s.setWaitingPods(waiting.size());
    s.setFunctions(functions(ledger, waiting));
    s.setFees(fees(term));

    List<Refusal> refusals = term.refusals();
    var conditions = old.getConditions();
    conditions =
        Conditions.set(
            conditions,
            ResidentPoolConditions.READY,
            term.term().phase() == PoolPhase.Active,
            term.term().phase().name(),
            readyMessage(term),
            generation,
            now);
    conditions =
        Conditions.set(
            conditions,
            ResidentPoolConditions.SPEC_APPLIED,
            refusals.isEmpty(),
            refusals.isEmpty() ? ResidentPoolConditions.REASON_APPLIED : refusals.get(0).reason(),
            refusals.isEmpty()
                ? "the spec is in force"
                : refusals.stream().map(Refusal::message).collect(Collectors.joining("; ")),
            generation,
            now);
    conditions =
        Conditions.set(
            conditions,
            ResidentPoolConditions.FEES_COMPUTED,
            term.priceError().isEmpty(),
            term.priceError().isEmpty()
                ? ResidentPoolConditions.REASON_PRICED
                : ResidentPoolConditions.REASON_PRICE_UNAVAILABLE,
            term.priceError().orElse("fees from the billing catalog"),
            generation,
            now);
    s.setConditions(conditions);
    return s;
  }

  private PoolFees fees(PoolTermPlanner.Outcome term) {
    PoolFees fees = new PoolFees();
    fees.setCurrency(pricing.currency());
    fees.setPaid(term.paid().setScale(2, RoundingMode.HALF_UP).toPlainString());
    fees.setTermPaid(term.termPaid().setScale(2, RoundingMode.HALF_UP).toPlainString());
    if (term.priceError().isEmpty()) {
      fees.setMonthly(pricing.subscriptionFee(term.inForce(), 1).toPlainString());
      if (term.term().phase() != PoolPhase.Pending) {
        BigDecimal daily =
            Fees.dailyPrice(
                term.termPaid(), term.term().termStart(), term.term().expiresAt(), pricing);
        fees.setDaily(daily.toPlainString());
      }
    }
    return fees;
  }

  private static List<PoolFunctionStatus> functions(
      List<Allocation> ledger, List<PoolPod> waiting) {
    Map<String, Long> waitingByFunction =
        waiting.stream().collect(Collectors.groupingBy(PoolPod::function, Collectors.counting()));
    List<PoolFunctionStatus> result = new ArrayList<>();
    for (FunctionUsage u : FunctionUsage.of(ledger)) {
      PoolFunctionStatus f = new PoolFunctionStatus();
      f.setName(u.function());
      f.setResidentInstances(u.instances());
      f.setInstanceConcurrency(u.instanceConcurrency());
      f.setMaxConcurrentRequests(u.maxConcurrentRequests());
      f.setCards(u.used().cards());
      f.setDisk(PoolLedger.disk(u.used().diskBytes()));
      f.setWaiting(waitingByFunction.getOrDefault(u.function(), 0L).intValue());
      waitingByFunction.remove(u.function());
      result.add(f);
    }
    waitingByFunction.forEach(
        (name, count) -> {
          PoolFunctionStatus f = new PoolFunctionStatus();
          f.setName(name);
          f.setResidentInstances(0);
          f.setMaxConcurrentRequests(0L);
          f.setWaiting(count.intValue());
          result.add(f);
        });
    result.sort(java.util.Comparator.comparing(PoolFunctionStatus::getName));
    return result;
  }

  private static String readyMessage(PoolTermPlanner.Outcome term) {
    return switch (term.term().phase()) {
      case Active -> "active until " + term.term().expiresAt();
      case Expired ->
          "expired at "
              + term.term().expiresAt()
              + "; renew (increase spec.subscription.renewals) before "
              + term.term().releaseAt();
      case Released -> "released at " + term.term().releaseAt() + "; purchase a new pool";
      case Pending -> "not purchased: " + term.refusals().get(0).message();
    };
  }
}
