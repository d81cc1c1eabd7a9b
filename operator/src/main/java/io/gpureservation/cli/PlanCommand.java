package io.gpureservation.cli;

import io.gpureservation.cli.PlanArguments.BadArguments;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.catalog.CatalogException;
import io.gpureservation.core.catalog.CatalogModel.SavingsPlanType;
import io.gpureservation.core.planner.Plan;
import io.gpureservation.core.planner.Planner;
import io.gpureservation.core.planner.PodRun;
import io.gpureservation.core.planner.SavingsPlanAdvice;
import io.gpureservation.core.planner.SavingsPlanAdvisor;
import io.gpureservation.core.planner.SavingsPlanTerms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code plan <trace.csv> ...}: the cheapest way to guarantee capacity for a GPU pod trace, as a
 * terminal table, {@code --json} or an {@code --html} report; {@code plan generate ...} writes a
 * synthetic tidal trace (docs/planner.md). Exit codes: 0 done, 1 bad trace or catalog (one line on
 * {@code err} naming the line and field, nothing on {@code out}), 2 bad command line.
 */
public final class PlanCommand {
  private PlanCommand() {}

  /**
   * Runs the command; {@code args} are the arguments after {@code plan} (a leading {@code plan} is
   * skipped too).
   *
   * @return the process exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (!rest.isEmpty() && rest.get(0).equals("plan")) {
      rest.remove(0);
    }
    if (rest.contains("-h") || rest.contains("--help")) {
      out.println(PlanArguments.USAGE);
      return 0;
    }
    if (!rest.isEmpty() && rest.get(0).equals("generate")) {
      return GenerateTrace.run(rest.subList(1, rest.size()), out, err);
    }
    PlanArguments parsed;
    try {
      parsed = PlanArguments.parse(rest);
    } catch (BadArguments e) {
      err.println("plan: " + e.getMessage() + "\n" + PlanArguments.USAGE);
      return 2;
    }
    try {
      Catalog catalog = parsed.catalog == null ? Catalog.defaults() : Catalog.load(parsed.catalog);
      List<PodRun> runs = read(parsed.trace, catalog);
      if (runs.isEmpty()) {
        throw new TraceException(1, null, "the trace has no pods");
      }
      Plan plan = new Planner(catalog, parsed.settings).plan(runs);
      SavingsPlanAdvice savings =
          parsed.savingsPlan()
              ? new SavingsPlanAdvisor(catalog)
                  .advise(plan, savingsPlanTerms(parsed, catalog), parsed.commitment)
              : null;
      String source = parsed.trace.getFileName().toString();
      if (parsed.html != null) {
        write(parsed.html, PlanHtml.render(plan, savings, source));
      }
      if (parsed.json) {
        out.println(PlanJson.render(plan, savings));
      } else {
        new PlanTable(out).print(plan, savings, source);
        if (parsed.html != null) {
          out.println("HTML report: " + parsed.html);
        }
      }
      return 0;
    } catch (CatalogException | CannotWrite e) {
      err.println("plan: " + e.getMessage());
    } catch (TraceException e) {
      err.println("plan: " + parsed.trace + ": " + e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      err.println("plan: " + parsed.trace + ": cannot read: " + reason(e));
    } catch (IllegalArgumentException e) {
      err.println("plan: " + e.getMessage());
    }
    return 1;
  }

  // A catalog plan type gives the discount, region and card types; --discount overrides the
  // discount, and alone is a plan of every region and card type.
  private static SavingsPlanTerms savingsPlanTerms(PlanArguments parsed, Catalog catalog) {
    if (parsed.savingsPlanType == null) {
      return new SavingsPlanTerms("custom", parsed.discount, null, Set.of());
    }
    SavingsPlanType type =
        catalog
            .savingsPlanType(parsed.savingsPlanType)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--savings-plan: unknown savings plan type "
                            + parsed.savingsPlanType
                            + "; the catalog has "
                            + new TreeSet<>(catalog.model().savingsPlans().keySet())));
    return new SavingsPlanTerms(
        parsed.savingsPlanType,
        parsed.discount != null ? parsed.discount : type.discount(),
        type.region(),
        Set.copyOf(type.cardTypes()));
  }

  /** The report could not be written; the message names the file. */
  private static final class CannotWrite extends RuntimeException {
    CannotWrite(Path file, IOException cause) {
      super(file + ": cannot write: " + reason(cause), cause);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CannotWrite(file, e);
    }
  }

  private static String reason(Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (cause instanceof NoSuchFileException) {
      return "no such file";
    }
    if (cause instanceof AccessDeniedException) {
      return "permission denied";
    }
    return String.valueOf(cause.getMessage());
  }

  private static List<PodRun> read(Path trace, Catalog catalog) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
      return new TraceCsv(catalog).read(in);
    }
  }
}
