package io.gpureservation.cluster.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A JDK {@link HttpsServer} with bounded work, for the endpoints anyone on the network can call
 * (the admission webhook, the metrics server; docs/install.md, "Multi-tenant hardening"): {@link
 * #THREADS} requests handled at once and {@link #QUEUED} waiting, beyond which the acceptor waits
 * instead of queueing in memory; how long a request may take to arrive is the JDK's {@code
 * sun.net.httpserver.maxReqTime}, set by {@code OperatorApp}.
 */
public final class HttpsEndpoint implements AutoCloseable {
  /** Requests handled at once, and waiting beyond those, before the acceptor itself waits. */
  public static final int THREADS = 4;

  public static final int QUEUED = 64;

  private final HttpsServer server;
  private final ExecutorService executor;

  private HttpsEndpoint(HttpsServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code port} (0 picks a free one) and serves each path with its handler. */
  public static HttpsEndpoint start(int port, SSLContext tls, Map<String, HttpHandler> handlers)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    handlers.forEach(server::createContext);
    ExecutorService executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED),
            new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(executor);
    server.start();
    return new HttpsEndpoint(server, executor);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
