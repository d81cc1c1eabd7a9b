package io.gpureservation.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers a test starts later (an operator's webhook, a child process): never
 * from the kernel's ephemeral range, where outgoing connections take ports between our pick and the
 * server's bind, and claimed with a file lock that other test JVMs (parallel forks) respect until
 * this JVM ends (docs/testing.md "Ports"). scripts/cluster.sh picks above {@link #LAST}.
 */
final class LoopbackPorts {
  static final int FIRST = 10000;
  static final int LAST = 19999;
  private static final Path CLAIMS =
      Path.of(System.getProperty("java.io.tmpdir"), "gpu-reservation-operator-ports");

  /** Held for the JVM's life: the OS lets go of the locks when the JVM ends, however it ends. */
  private static final List<FileLock> HELD = new ArrayList<>();

  private LoopbackPorts() {}

  /** A port no other test JVM has claimed and nothing listens on now. */
  static synchronized int claim() {
    try {
      Files.createDirectories(CLAIMS);
      while (true) {
        int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
        FileLock lock = tryLock(port);
        if (lock == null) {
          continue;
        }
        if (isFree(port)) {
          HELD.add(lock);
          return port;
        }
        lock.channel().close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileLock tryLock(int port) throws IOException {
    FileChannel channel =
        FileChannel.open(
            CLAIMS.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      channel.close();
      return null;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
