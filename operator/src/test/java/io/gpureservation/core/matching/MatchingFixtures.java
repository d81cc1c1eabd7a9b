package io.gpureservation.core.matching;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Builders for reservations and pods in matching tests. Memory is given in GiB. */
final class MatchingFixtures {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long GIB = 1L << 30;

  private MatchingFixtures() {}

  static ReservationBuilder reservation(String name) {
    return new ReservationBuilder(name);
  }

  static PodBuilder pod(String name) {
    return new PodBuilder(name);
  }

  static Instant at(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  static final class ReservationBuilder {
    private final String name;
    private String cardType = "L20";
    private int cards = 1;
    private long cpuMillis = 16_000;
    private long memoryBytes = 128 * GIB;
    private int quantity = 1;
    private String zone;
    private String region;
    private PodSelector selector = PodSelector.ALL;
    private Instant createdAt = T0;
    private boolean active = true;

    private ReservationBuilder(String name) {
      this.name = name;
    }

    ReservationBuilder spec(int cards, int vcpu, int memoryGiB) {
      this.cards = cards;
      this.cpuMillis = vcpu * 1000L;
      this.memoryBytes = memoryGiB * GIB;
      return this;
    }

    ReservationBuilder cardType(String cardType) {
      this.cardType = cardType;
      return this;
    }

    ReservationBuilder quantity(int quantity) {
      this.quantity = quantity;
      return this;
    }

    ReservationBuilder zone(String zone) {
      this.zone = zone;
      return this;
    }

    ReservationBuilder region(String region) {
      this.region = region;
      return this;
    }

    ReservationBuilder selector(PodSelector selector) {
      this.selector = selector;
      return this;
    }

    ReservationBuilder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    ReservationBuilder inactive() {
      this.active = false;
      return this;
    }

    ReservationBuilder active(boolean active) {
      this.active = active;
      return this;
    }

    ReservationDef build() {
      return new ReservationDef(
          name,
          new SlotShape(cardType, cards, cpuMillis, memoryBytes),
          quantity,
          zone,
          selector,
          createdAt,
          active,
          region);
    }
  }

  static final class PodBuilder {
    private final String name;
    private String cardType = "L20";
    private int cards = 1;
    private long cpuMillis = 1_000;
    private long memoryBytes = 2 * GIB;
    private String zone;
    private String region;
    private final Map<String, String> labels = new HashMap<>();
    private boolean bestEffort;
    private boolean noCardType;
    private String ignoredCardType;
    private Instant createdAt = T0;
    private PodDef.Lifecycle lifecycle = PodDef.Lifecycle.STARTED;
    private Instant startedAt;

    private PodBuilder(String name) {
      this.name = name;
    }

    PodBuilder spec(int cards, int vcpu, int memoryGiB) {
      this.cards = cards;
      this.cpuMillis = vcpu * 1000L;
      this.memoryBytes = memoryGiB * GIB;
      return this;
    }

    PodBuilder cardType(String cardType) {
      this.cardType = cardType;
      return this;
    }

    PodBuilder zone(String zone) {
      this.zone = zone;
      return this;
    }

    PodBuilder region(String region) {
      this.region = region;
      return this;
    }

    PodBuilder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    PodBuilder bestEffort() {
      this.bestEffort = true;
      return this;
    }

    /** Declares {@code declared} but runs on a node of the built card type. */
    PodBuilder declaring(String declared) {
      this.ignoredCardType = declared;
      return this;
    }

    PodBuilder noCardType() {
      this.noCardType = true;
      return this;
    }

    PodBuilder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    PodBuilder startedAt(Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    PodBuilder pending() {
      this.lifecycle = PodDef.Lifecycle.PENDING;
      return this;
    }

    PodBuilder ended() {
      this.lifecycle = PodDef.Lifecycle.ENDED;
      return this;
    }

    PodBuilder lifecycle(PodDef.Lifecycle lifecycle) {
      this.lifecycle = lifecycle;
      return this;
    }

    PodDef build() {
      SlotShape size = noCardType ? null : new SlotShape(cardType, cards, cpuMillis, memoryBytes);
      return new PodDef(
          "uid-" + name,
          name,
          createdAt,
          size,
          zone,
          labels,
          bestEffort,
          lifecycle,
          startedAt,
          region,
          ignoredCardType,
          null);
    }
  }
}
