package io.gpureservation.cli;

import io.gpureservation.core.catalog.CardSpec;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.planner.PodRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a GPU pod trace (docs/planner.md, "Trace format"): a CSV file with a header naming the
 * columns {@code namespace,pod,cardType,cards,cpu,memory,start,end} in any order (other columns are
 * ignored), one started pod per row. Blank lines and lines starting with {@code #} are skipped; a
 * field may be wrapped in double quotes. Every row is checked against the catalog: the card type
 * and card count must be in the specification table and the pod must fit its highest shape (a
 * reservation of that shape can hold it). The first bad row stops the read with its line number and
 * field.
 */
final class TraceCsv {
  static final List<String> COLUMNS =
      List.of("namespace", "pod", "cardType", "cards", "cpu", "memory", "start", "end");

  private final Catalog catalog;
  private final Map<String, CardSpec> specs = new HashMap<>();

  TraceCsv(Catalog catalog) {
    this.catalog = catalog;
  }

  List<PodRun> read(BufferedReader in) {
    try {
      return readLines(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<PodRun> readLines(BufferedReader in) throws IOException {
    int[] index = null;
    int width = 0;
    List<PodRun> runs = new ArrayList<>();
    long lineNumber = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1); // a byte order mark, as spreadsheets write
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = split(line);
      if (index == null) {
        index = header(fields, lineNumber);
        width = fields.length;
        continue;
      }
      if (fields.length != width) {
        throw new TraceException(
            lineNumber, null, "expected " + width + " fields, got " + fields.length);
      }
      runs.add(row(fields, index, lineNumber));
    }
    if (index == null) {
      throw new TraceException(lineNumber, null, "no header line " + String.join(",", COLUMNS));
    }
    return runs;
  }

  private static int[] header(String[] fields, long line) {
    int[] index = new int[COLUMNS.size()];
    for (int c = 0; c < COLUMNS.size(); c++) {
      index[c] = -1;
      for (int f = 0; f < fields.length; f++) {
        if (fields[f].equalsIgnoreCase(COLUMNS.get(c))) {
          index[c] = f;
        }
      }
      if (index[c] < 0) {
        throw new TraceException(
            line, null, "header has no column " + COLUMNS.get(c) + "; needs " + COLUMNS);
      }
    }
    return index;
  }

  private PodRun row(String[] f, int[] index, long line) {
    String namespace = text(f[index[0]], "namespace", line);
    String pod = text(f[index[1]], "pod", line);
    String cardTypeText = text(f[index[2]], "cardType", line);
    String cardType =
        catalog
            .canonicalCardType(cardTypeText)
            .orElseThrow(
                () ->
                    new TraceException(
                        line,
                        "cardType",
                        "unknown card type " + cardTypeText + "; one of " + catalog.cardTypes()));
    int cards = cards(f[index[3]], line);
    CardSpec spec = spec(cardType, cards, line);
    long cpu = quantity(f[index[4]], "cpu", line, true);
    long memory = quantity(f[index[5]], "memory", line, false);
    if (cpu > spec.cpuMillis()) {
      throw new TraceException(
          line, "cpu", exceeds(f[index[4]], spec, spec.cpuMillis() / 1000 + " vCPU"));
    }
    if (memory > spec.memoryBytes()) {
      throw new TraceException(
          line, "memory", exceeds(f[index[5]], spec, (spec.memoryBytes() >> 30) + "Gi"));
    }
    Instant start = time(f[index[6]], "start", line);
    Instant end = time(f[index[7]], "end", line);
    if (!end.isAfter(start)) {
      throw new TraceException(line, "end", "must be after start: " + f[index[7]]);
    }
    return new PodRun(
        namespace, pod, cardType, cards, cpu, memory, start.toEpochMilli(), end.toEpochMilli());
  }

  private static String exceeds(String value, CardSpec spec, String largest) {
    return value
        + " exceeds the largest "
        + spec.cardType()
        + " x"
        + spec.cards()
        + " shape ("
        + largest
        + "): no reservation can hold this pod";
  }

  private CardSpec spec(String cardType, int cards, long line) {
    String key = cardType + "/" + cards;
    CardSpec spec = specs.get(key);
    if (spec == null) {
      Optional<CardSpec> found = catalog.cardSpec(cardType, cards);
      if (found.isEmpty()) {
        throw new TraceException(
            line, "cards", cardType + " has no " + cards + "-card specification in the catalog");
      }
      spec = found.get();
      specs.put(key, spec);
    }
    return spec;
  }

  private static String text(String value, String field, long line) {
    if (value.isEmpty()) {
      throw new TraceException(line, field, "must not be empty");
    }
    return value;
  }

  private static int cards(String value, long line) {
    try {
      int cards = Integer.parseInt(value);
      if (cards >= 1) {
        return cards;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new TraceException(line, "cards", "must be a whole number of at least 1: " + value);
  }

  private static long quantity(String value, String field, long line, boolean cpu) {
    try {
      return cpu ? Quantities.cpuMillis(value) : Quantities.bytes(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new TraceException(line, field, e.getMessage());
    }
  }

  private static Instant time(String value, String field, long line) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new TraceException(
          line, field, "not an RFC 3339 time (e.g. 2026-11-02T08:00:00Z): " + value);
    }
  }

  private static String[] split(String line) {
    String[] fields = line.split(",", -1);
    for (int i = 0; i < fields.length; i++) {
      String f = fields[i].trim();
      if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
        f = f.substring(1, f.length() - 1).trim();
      }
      fields[i] = f;
    }
    return fields;
  }
}
