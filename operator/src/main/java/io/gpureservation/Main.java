package io.gpureservation;

/** Entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("bill")) {
      System.exit(
          io.gpureservation.cli.BillCommand.run(
              java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
    }
    System.out.println("gpu-reservation-operator");
  }
}
