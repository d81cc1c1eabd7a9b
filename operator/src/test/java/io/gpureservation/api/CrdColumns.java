package io.gpureservation.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the printer columns of a CRD written by the fabric8 generator (which sorts them by JSON
 * path) in the order a user reads them: for a CapacityReservation card type, cards, quantity,
 * active, idle, held, price, phase; any other column in the generator's order; {@code Age} last, as
 * Kubernetes' own resources print it. {@code scripts/update-crds.sh} runs this file with the
 * single-file source launcher ({@code java CrdColumns.java <crd>...}); {@code CommittedCrdsTest}
 * applies it to the generated CRDs before comparing, so the committed files stay checked.
 */
public final class CrdColumns {
  private static final String ENTRY = "    - jsonPath: ";
  private static final String AGE = "\".metadata.creationTimestamp\"";
  private static final List<String> ORDER =
      List.of(
          "\".spec.cardType\"",
          "\".spec.cards\"",
          "\".spec.quantity\"",
          "\".status.active\"",
          "\".status.idle\"",
          "\".status.held\"",
          "\".status.conditions[?(@.type==\\\"PriceKnown\\\")].reason\"",
          "\".status.phase\"");

  private CrdColumns() {}

  public static void main(String[] files) throws IOException {
    for (String f : files) {
      Path p = Path.of(f);
      Files.writeString(p, ageLast(Files.readString(p)));
    }
  }

  /** The CRD text with its printer columns in reading order and the creation time last. */
  public static String ageLast(String crd) {
    List<String> lines = new ArrayList<>(List.of(crd.split("\n", -1)));
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(ENTRY)) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return crd;
    }
    List<List<String>> columns = new ArrayList<>();
    int end = start;
    while (end < lines.size() && lines.get(end).startsWith(ENTRY)) {
      int next = end + 1;
      while (next < lines.size() && lines.get(next).startsWith("      ")) {
        next++;
      }
      columns.add(new ArrayList<>(lines.subList(end, next)));
      end = next;
    }
    boolean reservation = crd.contains("\n    kind: \"CapacityReservation\"\n");
    List<List<String>> sorted = new ArrayList<>(columns);
    sorted.sort(Comparator.comparingInt(c -> rank(c.get(0), columns.indexOf(c), reservation)));
    lines.subList(start, end).clear();
    List<String> ordered = new ArrayList<>();
    sorted.forEach(ordered::addAll);
    lines.addAll(start, ordered);
    return String.join("\n", lines);
  }

  private static int rank(String entry, int generated, boolean reservation) {
    String path = entry.substring(ENTRY.length());
    if (path.equals(AGE)) {
      return Integer.MAX_VALUE;
    }
    int known = reservation ? ORDER.indexOf(path) : -1;
    return known >= 0 ? known : ORDER.size() + generated;
  }
}
