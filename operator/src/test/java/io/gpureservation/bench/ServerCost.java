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
record ServerCost(
    Map<String, Double> requestsByVerb,
    Map<String, Double> requestsByKind,
    double operatorCpuSeconds,
    double podWatches) {
  private static final Pattern REQUEST =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} ([0-9.e+]+)$");
  private static final Pattern VERB = Pattern.compile("(?:^|,)verb=\"([A-Z]+)\"");
  private static final Pattern RESOURCE = Pattern.compile("(?:^|,)resource=\"([^\"]*)\"");
  private static final Pattern SUBRESOURCE = Pattern.compile("(?:^|,)subresource=\"([^\"]*)\"");
  private static final Pattern CODE = Pattern.compile("(?:^|,)code=\"([0-9]+)\"");
  // The pod watches open now (each decodes every pod event it selects).
  private static final Pattern POD_WATCHES =
      Pattern.compile(
          "^apiserver_longrunning_requests\\{[^}]*resource=\"pods\"[^}]*subresource=\"\""
              + "[^}]*verb=\"WATCH\"[^}]*\\} ([0-9.e+]+)$");

  /** Linux's USER_HZ: /proc reports CPU time in these ticks. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** The counters now; {@code operatorPid} may be null (no operator CPU). */
  static ServerCost snapshot(KubernetesClient admin, String operatorPid) {
    Map<String, Double> byVerb = new TreeMap<>();
    Map<String, Double> byKind = new TreeMap<>();
    double watches = 0;
    for (String line : admin.raw("/metrics").split("\n")) {
      Matcher open = POD_WATCHES.matcher(line);
      if (open.matches()) {
        watches += Double.parseDouble(open.group(1));
      }
      Matcher m = REQUEST.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Matcher verb = VERB.matcher(m.group(1));
      if (verb.find() && !verb.group(1).equals("WATCH")) {
        double n = Double.parseDouble(m.group(2));
        byVerb.merge(verb.group(1), n, Double::sum);
        byKind.merge(verb.group(1) + " " + kind(m.group(1)), n, Double::sum);
      }
    }
    return new ServerCost(
        byVerb, byKind, operatorPid == null ? 0 : cpuSeconds(operatorPid), watches);
  }

  // "pods/status 409": the resource, its subresource if any, and the response code unless 2xx.
  private static String kind(String labels) {
    Matcher resource = RESOURCE.matcher(labels);
    Matcher sub = SUBRESOURCE.matcher(labels);
    Matcher code = CODE.matcher(labels);
    String out = resource.find() ? resource.group(1) : "?";
    if (sub.find() && !sub.group(1).isEmpty()) {
      out += "/" + sub.group(1);
    }
    if (code.find() && !code.group(1).startsWith("2")) {
      out += " " + code.group(1);
    }
    return out;
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
    return new ServerCost(
        minus(requestsByVerb, before.requestsByVerb),
        minus(requestsByKind, before.requestsByKind),
        operatorCpuSeconds - before.operatorCpuSeconds,
        podWatches);
  }

  private static Map<String, Double> minus(Map<String, Double> now, Map<String, Double> before) {
    Map<String, Double> out = new TreeMap<>();
    now.forEach(
        (key, n) -> {
          double d = n - before.getOrDefault(key, 0.0);
          if (d > 0) {
            out.put(key, d);
          }
        });
    return out;
  }

  /** "PATCH pods 1.00, DELETE pods 404 0.50": by verb, resource and non-2xx code, 0.01+ a pod. */
  String perPodByKind(int pods) {
    StringBuilder out = new StringBuilder();
    requestsByKind.forEach(
        (kind, n) -> {
          if (n / pods >= 0.005) {
            out.append(out.isEmpty() ? "" : ", ").append(String.format("%s %.2f", kind, n / pods));
          }
        });
    return out.toString();
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
