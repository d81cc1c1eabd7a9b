package io.gpureservation.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a phase of a benchmark cost, from sources that do not depend on how busy the machine is
 * (docs/performance.md "The operator at cluster scale"): the API server's own request counters
 * ({@code apiserver_request_total}, by verb) and the operator process's CPU time ({@code
 * /proc/<pid>/stat} user + system). Take a snapshot before and after; the difference is the phase.
 */
record ServerCost(Map<String, Double> requestsByVerb, double operatorCpuSeconds) {
  private static final Pattern REQUEST =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$");
  private static final Pattern VERB = Pattern.compile("(?:^|,)verb=\"([A-Z]+)\"");

  /** Linux's USER_HZ: /proc reports CPU time in these ticks. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** The counters now; {@code operatorPid} may be null (no operator CPU). */
  static ServerCost snapshot(KubernetesClient admin, String operatorPid) {
    Map<String, Double> byVerb = new TreeMap<>();
    for (String line : admin.raw("/metrics").split("\n")) {
      Matcher m = REQUEST.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Matcher verb = VERB.matcher(m.group(1));
      if (verb.find() && !verb.group(1).equals("WATCH")) {
        byVerb.merge(verb.group(1), Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return new ServerCost(byVerb, operatorPid == null ? 0 : cpuSeconds(operatorPid));
  }

  private static double cpuSeconds(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // Fields after the command name (which may hold spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of the whole line, 12 and 13 here.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** This snapshot minus an earlier one. */
  ServerCost since(ServerCost before) {
    Map<String, Double> byVerb = new TreeMap<>();
    requestsByVerb.forEach(
        (verb, n) -> {
          double d = n - before.requestsByVerb.getOrDefault(verb, 0.0);
          if (d > 0) {
            byVerb.put(verb, d);
          }
        });
    return new ServerCost(byVerb, operatorCpuSeconds - before.operatorCpuSeconds);
  }

  /** "GET 1.00, PATCH 1.00 (2.00 requests per pod)" */
  String perPod(int pods) {
    StringBuilder out = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Double> e : requestsByVerb.entrySet()) {
      out.append(out.isEmpty() ? "" : ", ")
          .append(String.format("%s %.2f", e.getKey(), e.getValue() / pods));
      total += e.getValue();
    }
    return out + String.format(" (%.2f requests per pod)", total / pods);
  }
}
