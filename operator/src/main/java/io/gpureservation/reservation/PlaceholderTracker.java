package io.gpureservation.reservation;

import io.gpureservation.core.holding.PlaceholderState;
import java.util.HashMap;
import java.util.Map;

/**
 * What the engine knows of one namespace's placeholders, next to its matcher and under the same
 * lock (docs/capacity-holding.md): each reservation's placeholders by slot, the node a pod that
 * held a slot just left (so the slot's new placeholder goes there), the node each hand-over in
 * flight pins its pod to and which of those pods the scheduler has seen. Fed by pod events; no API
 * call.
 */
final class PlaceholderTracker {
  private final Map<String, Map<Integer, PlaceholderState>> placeholders = new HashMap<>();
  private final Map<String, Map<Integer, String>> lastNodes = new HashMap<>();
  private final Map<String, String> handOverNodes = new HashMap<>();
  private final java.util.Set<String> seenClaimants = new java.util.HashSet<>();
  private final Map<String, String> refusals = new HashMap<>();

  void placeholder(String reservation, int slot, PlaceholderState state) {
    placeholders.computeIfAbsent(reservation, r -> new HashMap<>()).put(slot, state);
  }

  void placeholderGone(String reservation, int slot) {
    Map<Integer, PlaceholderState> slots = placeholders.get(reservation);
    if (slots != null) {
      slots.remove(slot);
      if (slots.isEmpty()) {
        placeholders.remove(reservation);
      }
    }
  }

  /**
   * The operator has deleted the slot's placeholder: it counts as going until its delete event
   * arrives, so a plan made before that does not delete it again (docs/performance.md, "Round 20:
   * no read before a write"). A placeholder whose event already came stays forgotten.
   */
  void deletionSent(String reservation, int slot) {
    Map<Integer, PlaceholderState> slots = placeholders.get(reservation);
    PlaceholderState state = slots == null ? null : slots.get(slot);
    if (state != null && !state.terminating()) {
      slots.put(slot, new PlaceholderState(state.node(), true, state.altered()));
    }
  }

  Map<Integer, PlaceholderState> placeholders(String reservation) {
    return Map.copyOf(placeholders.getOrDefault(reservation, Map.of()));
  }

  PlaceholderState placeholder(String reservation, int slot) {
    return placeholders.getOrDefault(reservation, Map.of()).get(slot);
  }

  boolean holds(String reservation, int slot) {
    PlaceholderState state = placeholder(reservation, slot);
    return state != null && state.holds();
  }

  void slotLeft(String reservation, int slot, String node) {
    if (node != null) {
      lastNodes.computeIfAbsent(reservation, r -> new HashMap<>()).put(slot, node);
    }
  }

  /** The nodes pods just left, by slot; each is used once (the placeholder then exists). */
  Map<Integer, String> takeLastNodes(String reservation, Iterable<Integer> slots) {
    Map<Integer, String> nodes = lastNodes.get(reservation);
    Map<Integer, String> taken = new HashMap<>();
    if (nodes == null) {
      return taken;
    }
    for (int slot : slots) {
      String node = nodes.remove(slot);
      if (node != null) {
        taken.put(slot, node);
      }
    }
    return taken;
  }

  Map<Integer, String> lastNodes(String reservation) {
    return Map.copyOf(lastNodes.getOrDefault(reservation, Map.of()));
  }

  void handOverNode(String podUid, String node) {
    handOverNodes.put(podUid, node);
  }

  String handOverNode(String podUid) {
    return handOverNodes.get(podUid);
  }

  void handOverDone(String podUid) {
    handOverNodes.remove(podUid);
    seenClaimants.remove(podUid);
  }

  /** The scheduler has seen the pod of a hand-over; returns whether that is news. */
  boolean claimantSeen(String podUid) {
    return seenClaimants.add(podUid);
  }

  boolean isClaimantSeen(String podUid) {
    return seenClaimants.contains(podUid);
  }

  /** Why the reservation's placeholders were last refused; null clears it. */
  void refused(String reservation, String problem) {
    if (problem == null) {
      refusals.remove(reservation);
    } else {
      refusals.put(reservation, problem);
    }
  }

  String refusal(String reservation) {
    return refusals.get(reservation);
  }

  void forgetReservation(String reservation) {
    refusals.remove(reservation);
    placeholders.remove(reservation);
    lastNodes.remove(reservation);
  }
}
