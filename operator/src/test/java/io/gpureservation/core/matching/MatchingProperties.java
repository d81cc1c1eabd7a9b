package io.gpureservation.core.matching;

import static io.gpureservation.core.matching.MatchingFixtures.at;
import static io.gpureservation.core.matching.MatchingFixtures.pod;
import static io.gpureservation.core.matching.MatchingFixtures.reservation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random event sequences over a small namespace (four reservations of catalog-like shapes, ten pods
 * of mixed sizes, zones, labels, BestEffort or without card type) applied to a {@link
 * NamespaceMatcher}, with the matching rules of docs/capacity-reservation.md ("Choosing a slot")
 * checked after every event. A second matcher receives every event twice (redelivery) and must end
 * up in the same observable state.
 */
class MatchingProperties {
  private static final int RESERVATIONS = 4;
  private static final int PODS = 10;
  private static final String CARD_TYPE_LABEL = "gpureservation.io/card-type";

  /** Catalog sizes of the reference (and one smaller custom size), GiB of memory. */
  private static final List<Spec> SHAPES =
      List.of(
          new Spec("L20", 1, 16, 128),
          new Spec("L20", 1, 10, 80),
          new Spec("L20", 2, 32, 230),
          new Spec("A10", 1, 16, 60),
          new Spec("L20", 4, 64, 460));

  private static final List<String> ZONES = Arrays.asList(null, "zone-a", "zone-b");

  private static final List<PodSelector> SELECTORS =
      List.of(
          PodSelector.ALL,
          new PodSelector(Map.of("team", "ml"), List.of()),
          selector(new PodSelector.Requirement("tier", PodSelector.Operator.IN, Set.of("infer"))),
          selector(new PodSelector.Requirement("team", PodSelector.Operator.NOT_IN, Set.of("web"))),
          selector(new PodSelector.Requirement("tier", PodSelector.Operator.EXISTS, Set.of())),
          new PodSelector(
              Map.of("team", "ml"),
              List.of(
                  new PodSelector.Requirement(
                      "tier", PodSelector.Operator.DOES_NOT_EXIST, Set.of()))));

  private static final Set<String> RELEASE_REASONS =
      Set.of(
          Reasons.NO_MATCHING_RESERVATION,
          Reasons.RESERVATION_EXPIRED,
          Reasons.RESERVATION_DELETED,
          Reasons.RESERVATION_SCALED_DOWN);

  /** The matching order of reservations: smallest spec (vCPU, memory), then FIFO, then name. */
  private static final Comparator<ReservationDef> MATCHING_ORDER =
      Comparator.comparingLong((ReservationDef r) -> r.shape().cpuMillis())
          .thenComparingLong(r -> r.shape().memoryBytes())
          .thenComparing(ReservationDef::createdAt)
          .thenComparing(ReservationDef::name);

  private static final Comparator<PodDef> OLDEST_FIRST =
      Comparator.comparing(PodDef::createdAt).thenComparing(PodDef::uid);

  private static PodSelector selector(PodSelector.Requirement requirement) {
    return new PodSelector(Map.of(), List.of(requirement));
  }

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
  void matchingRulesHoldAfterEveryEvent_andRedeliveryChangesNothing(
      @ForAll("universes") Universe universe, @ForAll("events") List<Event> events) {
    Run run = new Run(universe);
    for (int step = 0; step < events.size(); step++) {
      run.apply(events.get(step), at(step / 2));
    }
    // The generators must reach the interesting states, not just pass vacuously.
    Statistics.label("deductions made")
        .collect(run.deductions > 0)
        .coverage(c -> c.check(true).percentage(p -> p >= 40));
    Statistics.label("scale-down below the held count")
        .collect(run.partialScaleDowns > 0)
        .coverage(c -> c.check(true).percentage(p -> p >= 1));
  }

  // ---------------------------------------------------------------------------------- generators

  // The weights below are tuned so that most runs reach deductions, waiting pods, dynamic matches
  // and scale-downs below the held count (see the coverage checks above); uniform choices leave
  // most pods without any reservation they fit.

  @Provide
  Arbitrary<Universe> universes() {
    Arbitrary<ReservationSpec> reservations =
        Combinators.combine(Arbitraries.of(SHAPES), Arbitraries.integers().between(0, 3))
            .as(ReservationSpec::new);
    Arbitrary<Spec> podSizes =
        Combinators.combine(
                Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.of(SHAPES.subList(0, 2))),
                    Tuple.of(2, Arbitraries.of(SHAPES))),
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(3, -8), Tuple.of(1, 2)),
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(3, -64), Tuple.of(1, 8)))
            .as(Spec::resized);
    Arbitrary<PodSpec> pods =
        Combinators.combine(
                podSizes,
                Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.just(null)), Tuple.of(2, Arbitraries.of(ZONES))),
                Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true)),
                labels())
            .as(PodSpec::new);
    return Combinators.combine(reservations.list().ofSize(RESERVATIONS), pods.list().ofSize(PODS))
        .as(Universe::new);
  }

  @Provide
  Arbitrary<List<Event>> events() {
    Arbitrary<Integer> r = Arbitraries.integers().between(0, RESERVATIONS - 1);
    Arbitrary<Integer> p = Arbitraries.integers().between(0, PODS - 1);
    Arbitrary<Event> upsert =
        Combinators.combine(
                r,
                Arbitraries.frequency(
                    Tuple.of(1, 0), Tuple.of(3, 1), Tuple.of(3, 2), Tuple.of(2, 3), Tuple.of(2, 4)),
                Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(1, 1), Tuple.of(1, 2)),
                Arbitraries.frequency(
                    Tuple.of(12, 0),
                    Tuple.of(2, 1),
                    Tuple.of(1, 2),
                    Tuple.of(1, 3),
                    Tuple.of(1, 4),
                    Tuple.of(1, 5)),
                Arbitraries.frequency(Tuple.of(6, true), Tuple.of(1, false)))
            .as(UpsertReservation::new);
    Arbitrary<Event> event =
        Arbitraries.frequencyOf(
            Tuple.of(7, upsert),
            Tuple.of(1, r.map(RemoveReservation::new)),
            Tuple.of(2, p.map(PodPending::new)),
            Tuple.of(8, p.map(PodStarted::new)),
            Tuple.of(3, p.map(PodEnded::new)),
            Tuple.of(1, p.map(PodDeleted::new)),
            Tuple.of(2, Combinators.combine(p, labels()).as(Relabel::new)),
            Tuple.of(1, Arbitraries.just(new Restart())));
    return event
        .list()
        .ofMinSize(1)
        .ofMaxSize(60)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  private static Arbitrary<Labels> labels() {
    return Combinators.combine(
            Arbitraries.frequency(
                Tuple.of(10, CardLabel.OWN),
                Tuple.of(1, CardLabel.OTHER),
                Tuple.of(1, CardLabel.NONE)),
            Arbitraries.of(Arrays.asList("ml", null, "web")),
            Arbitraries.of(Arrays.asList(null, "infer", "batch")))
        .as(Labels::new);
  }

  // ---------------------------------------------------------------------------------- universe

  /** Card type, cards, vCPU and memory in GiB. */
  record Spec(String cardType, int cards, int vcpu, int memoryGiB) {
    static Spec resized(Spec base, int vcpuDelta, int memoryDelta) {
      return new Spec(
          base.cardType,
          base.cards,
          Math.max(1, base.vcpu + vcpuDelta),
          Math.max(1, base.memoryGiB + memoryDelta));
    }
  }

  /** The immutable part of a reservation: its shape and creation time (minutes after T0). */
  record ReservationSpec(Spec shape, int createdMinute) {}

  /** The immutable part of a pod: size, zone pin, compute class, and its labels at creation. */
  record PodSpec(Spec size, String zone, boolean bestEffort, Labels labels) {}

  /** What the card-type label of a pod says: its own card type, another one, or nothing. */
  enum CardLabel {
    OWN,
    OTHER,
    NONE
  }

  record Labels(CardLabel card, String team, String tier) {}

  record Universe(List<ReservationSpec> reservations, List<PodSpec> pods) {}

  // ---------------------------------------------------------------------------------- events

  /** One call (or none) on a matcher; returns the matcher to use afterwards. */
  interface Call extends UnaryOperator<NamespaceMatcher> {}

  /** An event of the namespace: updates the world and says which matcher call reports it. */
  sealed interface Event {
    Call advance(Run run);
  }

  /** Create or change a reservation; quantity up or down, zone, selector, active or expired. */
  record UpsertReservation(int r, int quantity, int zone, int selector, boolean active)
      implements Event {
    @Override
    public Call advance(Run run) {
      ReservationSpec spec = run.universe.reservations().get(r);
      ReservationDef def =
          reservation("r" + r)
              .cardType(spec.shape().cardType())
              .spec(spec.shape().cards(), spec.shape().vcpu(), spec.shape().memoryGiB())
              .quantity(quantity)
              .zone(ZONES.get(zone))
              .selector(SELECTORS.get(selector))
              .createdAt(at(spec.createdMinute()))
              .active(active)
              .build();
      run.reservations[r] = def;
      return m -> {
        m.upsertReservation(def, run.now);
        return m;
      };
    }
  }

  record RemoveReservation(int r) implements Event {
    @Override
    public Call advance(Run run) {
      run.reservations[r] = null;
      return m -> {
        m.removeReservation("r" + r, Reasons.RESERVATION_DELETED, run.now);
        return m;
      };
    }
  }

  /** A new pod (a new incarnation if none lives) waits unscheduled; a live pod is resent as is. */
  record PodPending(int p) implements Event {
    @Override
    public Call advance(Run run) {
      if (run.pods[p] == null) {
        run.create(p, PodDef.Lifecycle.PENDING);
      }
      return run.upsert(run.pods[p]);
    }
  }

  /** The pod is bound to a node (created right away if none lives). */
  record PodStarted(int p) implements Event {
    @Override
    public Call advance(Run run) {
      if (run.pods[p] == null) {
        run.create(p, PodDef.Lifecycle.STARTED);
      } else {
        run.pods[p] = run.podDef(p, PodDef.Lifecycle.STARTED);
      }
      return run.upsert(run.pods[p]);
    }
  }

  /** The pod reached Succeeded or Failed; for a gone pod, a late copy of its last end. */
  record PodEnded(int p) implements Event {
    @Override
    public Call advance(Run run) {
      PodDef ended = run.podDef(p, PodDef.Lifecycle.ENDED);
      run.pods[p] = null;
      return run.upsert(ended);
    }
  }

  record PodDeleted(int p) implements Event {
    @Override
    public Call advance(Run run) {
      String uid = run.podDef(p, PodDef.Lifecycle.ENDED).uid();
      run.pods[p] = null;
      return m -> {
        m.removePod(uid, run.now);
        return m;
      };
    }
  }

  /** The labels of a live pod change (card-type label included); nothing for a gone pod. */
  record Relabel(int p, Labels labels) implements Event {
    @Override
    public Call advance(Run run) {
      if (run.pods[p] == null) {
        return m -> m;
      }
      run.labels[p] = labels;
      run.pods[p] = run.podDef(p, run.pods[p].lifecycle());
      return run.upsert(run.pods[p]);
    }
  }

  /** The operator restarts: a new matcher rebuilt from the ledgers and the live objects. */
  record Restart() implements Event {
    @Override
    public Call advance(Run run) {
      List<ReservationDef> defs = Arrays.stream(run.reservations).filter(d -> d != null).toList();
      List<PodDef> live = Arrays.stream(run.pods).filter(d -> d != null).toList();
      return m -> {
        List<Holding> ledger = new ArrayList<>();
        defs.forEach(d -> ledger.addAll(m.ledger(d.name())));
        NamespaceMatcher restarted = new NamespaceMatcher();
        restarted.restore(defs, ledger, live, run.now);
        return restarted;
      };
    }
  }

  // ---------------------------------------------------------------------------------- the run

  /** Everything observable of a matcher for the universe. */
  record Snapshot(
      Map<String, List<Holding>> ledgers,
      Map<String, Integer> idle,
      Map<String, PodBilling> billing) {
    static Snapshot of(NamespaceMatcher m, Set<String> uids) {
      Map<String, List<Holding>> ledgers = new LinkedHashMap<>();
      Map<String, Integer> idle = new LinkedHashMap<>();
      for (int r = 0; r < RESERVATIONS; r++) {
        ledgers.put("r" + r, m.ledger("r" + r));
        idle.put("r" + r, m.idleSlots("r" + r));
      }
      Map<String, PodBilling> billing = new TreeMap<>();
      uids.forEach(uid -> billing.put(uid, m.billingOf(uid)));
      return new Snapshot(ledgers, idle, billing);
    }

    Map<String, Holding> holdingsByPod() {
      Map<String, Holding> result = new HashMap<>();
      ledgers.values().forEach(l -> l.forEach(h -> result.put(h.podUid(), h)));
      return result;
    }
  }

  /** The world (what the cluster says), the matcher under test and its redelivered twin. */
  static final class Run {
    final Universe universe;
    final ReservationDef[] reservations = new ReservationDef[RESERVATIONS];
    final PodDef[] pods = new PodDef[PODS];
    final Labels[] labels = new Labels[PODS];
    final int[] incarnation = new int[PODS];
    final Instant[] createdAt = new Instant[PODS];
    final Set<String> uids = new HashSet<>();
    NamespaceMatcher matcher = new NamespaceMatcher();
    NamespaceMatcher twin = new NamespaceMatcher();
    Instant now;
    int partialScaleDowns;
    int deductions;

    Run(Universe universe) {
      this.universe = universe;
      for (int p = 0; p < PODS; p++) {
        labels[p] = universe.pods().get(p).labels();
        createdAt[p] = at(0);
      }
    }

    void create(int p, PodDef.Lifecycle lifecycle) {
      incarnation[p]++;
      labels[p] = universe.pods().get(p).labels();
      createdAt[p] = now;
      pods[p] = podDef(p, lifecycle);
    }

    PodDef podDef(int p, PodDef.Lifecycle lifecycle) {
      PodSpec spec = universe.pods().get(p);
      Spec size = spec.size();
      String own = size.cardType();
      String other = own.equals("L20") ? "A10" : "L20";
      MatchingFixtures.PodBuilder builder =
          pod("p" + p + "-" + incarnation[p])
              .spec(size.cards(), size.vcpu(), size.memoryGiB())
              .zone(spec.zone())
              .createdAt(createdAt[p])
              .lifecycle(lifecycle);
      Labels l = labels[p];
      switch (l.card()) {
        case OWN -> builder.cardType(own).label(CARD_TYPE_LABEL, own);
        case OTHER -> builder.cardType(other).label(CARD_TYPE_LABEL, other);
        case NONE -> builder.noCardType();
      }
      if (l.team() != null) {
        builder.label("team", l.team());
      }
      if (l.tier() != null) {
        builder.label("tier", l.tier());
      }
      if (spec.bestEffort()) {
        builder.bestEffort();
      }
      PodDef def = builder.build();
      uids.add(def.uid());
      return def;
    }

    Call upsert(PodDef def) {
      return m -> {
        m.upsertPod(def, now);
        return m;
      };
    }

    void apply(Event event, Instant at) {
      now = at;
      Snapshot before = Snapshot.of(matcher, uids);
      Call call = event.advance(this);
      matcher = call.apply(matcher);
      twin = call.apply(call.apply(twin));
      Snapshot after = Snapshot.of(matcher, uids);
      String context = "after " + event + " at " + now;

      assertThat(Snapshot.of(twin, uids)).as("redelivered " + context).isEqualTo(after);
      checkLedgerAgreesWithBilling(after, context);
      checkSlotCounts(after, context);
      checkLifecycle(after, context);
      checkNoAdmissibleIdleSlotBesidePayAsYouGoPod(after, context);
      checkDeductions(event, before, after, context);
      checkChangeNotifications(before, after, context);
    }

    private Map<String, PodDef> liveByUid() {
      Map<String, PodDef> result = new HashMap<>();
      Arrays.stream(pods).filter(d -> d != null).forEach(d -> result.put(d.uid(), d));
      return result;
    }

    private ReservationDef reservationDef(String name) {
      return reservations[Integer.parseInt(name.substring(1))];
    }

    /** A slot holds at most one pod, a pod at most one slot, and the two views agree. */
    private void checkLedgerAgreesWithBilling(Snapshot after, String context) {
      Map<String, Holding> byPod = new HashMap<>();
      after.ledgers.forEach(
          (name, ledger) -> {
            Set<Integer> slots = new HashSet<>();
            for (Holding h : ledger) {
              assertThat(h.reservation()).as(context).isEqualTo(name);
              assertThat(slots.add(h.slot())).as("slot held twice " + h + " " + context).isTrue();
              assertThat(byPod.put(h.podUid(), h))
                  .as("pod holds two slots " + h + " " + context)
                  .isNull();
              assertThat(after.billing.get(h.podUid()))
                  .as("billing of the holder of " + h + " " + context)
                  .isEqualTo(new PodBilling.Reserved(name, h.slot(), h.since()));
            }
          });
      after.billing.forEach(
          (uid, billing) -> {
            if (billing instanceof PodBilling.Reserved r) {
              Holding h = byPod.get(uid);
              assertThat(h).as("ledger line of reserved pod " + uid + " " + context).isNotNull();
              assertThat(new PodBilling.Reserved(h.reservation(), h.slot(), h.since()))
                  .as(context)
                  .isEqualTo(r);
            }
          });
    }

    /** Held + idle = quantity for an active reservation; an inactive or gone one holds nothing. */
    private void checkSlotCounts(Snapshot after, String context) {
      after.ledgers.forEach(
          (name, ledger) -> {
            ReservationDef def = reservationDef(name);
            int slots = ledger.size() + after.idle.get(name);
            assertThat(slots)
                .as("slots of " + name + " " + context)
                .isEqualTo(def != null && def.active() ? def.quantity() : 0);
          });
    }

    /** Started pods are reserved or pay-as-you-go (for the right reason); others are not billed. */
    private void checkLifecycle(Snapshot after, String context) {
      Map<String, PodDef> live = liveByUid();
      after.billing.forEach(
          (uid, billing) -> {
            PodDef def = live.get(uid);
            if (def == null || def.lifecycle() != PodDef.Lifecycle.STARTED) {
              assertThat(billing).as(uid + " " + context).isEqualTo(PodBilling.NOT_STARTED);
            } else if (billing instanceof PodBilling.PayAsYouGo payg) {
              String expected =
                  def.bestEffort()
                      ? Reasons.BEST_EFFORT
                      : def.size() == null ? Reasons.NO_CARD_TYPE : null;
              if (expected != null) {
                assertThat(payg.reason())
                    .as("reason of " + uid + " " + context)
                    .isEqualTo(expected);
              } else {
                assertThat(payg.reason())
                    .as("reason of " + uid + " " + context)
                    .isIn(RELEASE_REASONS);
              }
            } else {
              assertThat(billing).as(uid + " " + context).isInstanceOf(PodBilling.Reserved.class);
            }
          });
    }

    /** Real-time dynamic matching: a started pay-as-you-go pod never sits beside a slot for it. */
    private void checkNoAdmissibleIdleSlotBesidePayAsYouGoPod(Snapshot after, String context) {
      for (PodDef pod : startedPayAsYouGo(after)) {
        after.idle.forEach(
            (name, idle) -> {
              if (idle > 0) {
                assertThat(admits(reservationDef(name), pod))
                    .as(pod.uid() + " pay-as-you-go beside an idle slot of " + name + " " + context)
                    .isFalse();
              }
            });
      }
    }

    private List<PodDef> startedPayAsYouGo(Snapshot after) {
      return liveByUid().values().stream()
          .filter(d -> d.lifecycle() == PodDef.Lifecycle.STARTED)
          .filter(d -> after.billing.get(d.uid()) instanceof PodBilling.PayAsYouGo)
          .toList();
    }

    /**
     * New deductions are admissible (checked now: the event that made them is the one whose
     * definitions are current), the subject pod of a pod event takes the first reservation in
     * matching order, a freed slot goes to the oldest admissible waiting pod, and old deductions
     * stay where they are unless their reservation released them (scale-down newest first).
     */
    private void checkDeductions(Event event, Snapshot before, Snapshot after, String context) {
      Map<String, Holding> was = before.holdingsByPod();
      Map<String, Holding> is = after.holdingsByPod();
      Map<String, PodDef> live = liveByUid();
      List<PodDef> waiting = startedPayAsYouGo(after);
      for (Holding h : is.values()) {
        if (h.equals(was.get(h.podUid()))) {
          continue;
        }
        ReservationDef r = reservationDef(h.reservation());
        PodDef pod = live.get(h.podUid());
        deductions++;
        assertThat(admits(r, pod)).as("admissible " + h + " " + context).isTrue();
        for (PodDef other : waiting) {
          if (admits(r, other)) {
            assertThat(OLDEST_FIRST.compare(other, pod))
                .as("older " + other.uid() + " left waiting beside new " + h + " " + context)
                .isPositive();
          }
        }
        if (subjectPod(event) != null && subjectPod(event).equals(pod.uid())) {
          ReservationDef first =
              before.idle.entrySet().stream()
                  .filter(e -> e.getValue() > 0)
                  .map(e -> reservationDef(e.getKey()))
                  .filter(d -> admits(d, pod))
                  .min(MATCHING_ORDER)
                  .orElseThrow();
          assertThat(h.reservation()).as("matching order " + context).isEqualTo(first.name());
        }
      }
      String released = releasingReservation(event, before);
      for (Holding h : was.values()) {
        if (live.containsKey(h.podUid()) && !h.reservation().equals(released)) {
          assertThat(is.get(h.podUid())).as("stable deduction " + context).isEqualTo(h);
        }
      }
      if (event instanceof UpsertReservation u && u.active() && released != null) {
        partialScaleDowns += u.quantity() > 0 ? 1 : 0;
        List<Holding> kept =
            before.ledgers.get(released).stream()
                .sorted(Comparator.comparing(Holding::since).thenComparing(Holding::slot))
                .limit(u.quantity())
                .toList();
        assertThat(after.ledgers.get(released))
            .as("scale-down keeps the oldest deductions " + context)
            .containsExactlyInAnyOrderElementsOf(kept);
      }
    }

    private String subjectPod(Event event) {
      if (event instanceof PodStarted e) {
        return pods[e.p()] == null ? null : pods[e.p()].uid();
      }
      if (event instanceof Relabel e) {
        return pods[e.p()] == null ? null : pods[e.p()].uid();
      }
      return null;
    }

    /** The reservation that may have given up deductions in this event, or null. */
    private String releasingReservation(Event event, Snapshot before) {
      if (event instanceof RemoveReservation e) {
        return "r" + e.r();
      }
      if (event instanceof UpsertReservation e) {
        String name = "r" + e.r();
        if (!e.active() || e.quantity() < before.ledgers.get(name).size()) {
          return name;
        }
      }
      return null;
    }

    /** Every ledger and every live pod's billing that changed is reported for writing. */
    private void checkChangeNotifications(Snapshot before, Snapshot after, String context) {
      Set<String> changedReservations = matcher.drainChangedReservations();
      Set<String> changedPods = matcher.drainChangedPods();
      twin.drainChangedReservations();
      twin.drainChangedPods();
      for (String name : after.ledgers.keySet()) {
        if (!before.ledgers.get(name).equals(after.ledgers.get(name))
            || !before.idle.get(name).equals(after.idle.get(name))) {
          assertThat(changedReservations).as("changed reservations " + context).contains(name);
        }
      }
      for (String uid : liveByUid().keySet()) {
        PodBilling old = before.billing.getOrDefault(uid, PodBilling.NOT_STARTED);
        if (!old.equals(after.billing.get(uid))) {
          assertThat(changedPods).as("changed pods " + context).contains(uid);
        }
      }
    }
  }

  /**
   * The oracle for "may this pod deduct a slot of this reservation", written from
   * docs/capacity-reservation.md.
   */
  static boolean admits(ReservationDef r, PodDef pod) {
    if (r == null || !r.active() || pod.bestEffort() || pod.size() == null) {
      return false;
    }
    SlotShape slot = r.shape();
    SlotShape size = pod.size();
    return slot.cardType().equals(size.cardType())
        && slot.cards() == size.cards()
        && size.cpuMillis() <= slot.cpuMillis()
        && size.memoryBytes() <= slot.memoryBytes()
        && (r.zone() == null || r.zone().equals(pod.zone()))
        && r.selector().matches(pod.labels());
  }
}
