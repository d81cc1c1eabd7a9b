package io.gpureservation.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the {@code Age} printer column last in a CRD written by the fabric8 generator, which sorts
 * columns by JSON path (so {@code .metadata.creationTimestamp} would come first). Kubernetes' own
 * resources print AGE last; so do ours. {@code scripts/update-crds.sh} runs this file with the
 * single-file source launcher ({@code java CrdColumns.java <crd>...}); {@code CommittedCrdsTest}
 * applies it to the generated CRDs before comparing, so the committed files stay checked.
 */
public final class CrdColumns {
  private static final String AGE_ENTRY = "    - jsonPath: \".metadata.creationTimestamp\"";

  private CrdColumns() {}

  public static void main(String[] files) throws IOException {
    for (String f : files) {
      Path p = Path.of(f);
      Files.writeString(p, ageLast(Files.readString(p)));
    }
  }

  /** The CRD text with the creation-timestamp column moved to the end of its column list. */
  public static String ageLast(String crd) {
    List<String> lines = new ArrayList<>(List.of(crd.split("\n", -1)));
    int start = lines.indexOf(AGE_ENTRY);
    if (start < 0) {
      return crd;
    }
    int end = start + 1;
    while (end < lines.size() && lines.get(end).startsWith("      ")) {
      end++;
    }
    List<String> age = new ArrayList<>(lines.subList(start, end));
    lines.subList(start, end).clear();
    int listEnd = start;
    while (listEnd < lines.size()
        && (lines.get(listEnd).startsWith("    - ") || lines.get(listEnd).startsWith("      "))) {
      listEnd++;
    }
    lines.addAll(listEnd, age);
    return String.join("\n", lines);
  }
}
