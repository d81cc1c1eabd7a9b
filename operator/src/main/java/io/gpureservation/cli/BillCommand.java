package io.gpureservation.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpureservation.core.billing.Bill;
import io.gpureservation.core.catalog.Catalog;
import io.gpureservation.core.catalog.CatalogException;
import io.gpureservation.core.catalog.YamlMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bill <usage-file> [--catalog <file>]}: prices a usage file (YAML, format in
 * docs/billing.md) and prints the itemised bill. Exit codes: 0 printed, 1 bad usage or catalog (one
 * line on {@code err} naming the file and field), 2 bad command line.
 */
public final class BillCommand {
  static final String USAGE = "usage: bill <usage-file> [--catalog <catalog-file>]";

  private static final ObjectMapper YAML = YamlMapper.get();

  private BillCommand() {}

  /** Entry point for {@code java -jar operator.jar bill …}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command; {@code args} are the arguments after {@code bill} (a leading {@code bill} is
   * skipped too).
   *
   * @return the process exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (!rest.isEmpty() && rest.get(0).equals("bill")) {
      rest.remove(0);
    }
    Path catalogFile = null;
    Path usageFile = null;
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (arg.equals("--catalog") && i + 1 < rest.size()) {
        catalogFile = Path.of(rest.get(++i));
      } else if (arg.startsWith("--catalog=")) {
        catalogFile = Path.of(arg.substring("--catalog=".length()));
      } else if (arg.equals("-h") || arg.equals("--help")) {
        out.println(USAGE);
        out.println("models: " + UsageModels.MODELS + " (see docs/billing.md)");
        return 0;
      } else if (usageFile == null && !arg.startsWith("-")) {
        usageFile = Path.of(arg);
      } else {
        err.println("bill: unexpected argument " + arg + "; " + USAGE);
        return 2;
      }
    }
    if (usageFile == null) {
      err.println("bill: no usage file; " + USAGE);
      return 2;
    }
    try {
      Catalog catalog = catalogFile == null ? Catalog.defaults() : Catalog.load(catalogFile);
      List<Bill> bills = new UsageModels(catalog).price(new UsageNode(read(usageFile), ""));
      BillPrinter printer = new BillPrinter(out);
      bills.forEach(printer::print);
      return 0;
    } catch (CatalogException e) {
      err.println("bill: " + e.getMessage());
    } catch (UsageException | IllegalArgumentException | ArithmeticException e) {
      err.println("bill: " + usageFile + ": " + oneLine(e.getMessage()));
    }
    return 1;
  }

  private static JsonNode read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UsageException("(file)", "cannot read " + file + ": " + e.getMessage());
    }
    try {
      return YAML.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new UsageException(
          "(file)", "malformed YAML" + where + ": " + oneLine(e.getOriginalMessage()));
    }
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ");
  }
}
