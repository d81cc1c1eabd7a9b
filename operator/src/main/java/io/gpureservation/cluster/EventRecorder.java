package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Records core/v1 Events with deterministic names (object, key): recording the same key twice is a
 * no-op, so an Event sent just before a crash is not sent again after the restart.
 */
public final class EventRecorder {
  public static final String COMPONENT = "gpu-reservation-operator";

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(HasMetadata object, ObjectEvent event) {
    String now = clock.instant().toString();
    var meta = object.getMetadata();
    try {
      client
          .v1()
          .events()
          .inNamespace(meta.getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name(object, event.key()))
                  .withNamespace(meta.getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(object.getApiVersion())
                  .withKind(object.getKind())
                  .withName(meta.getName())
                  .withNamespace(meta.getNamespace())
                  .withUid(meta.getUid())
                  .endInvolvedObject()
                  .withType(event.type())
                  .withReason(event.reason())
                  .withMessage(event.message())
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** {@code <object>.<key>.<hash>}: readable, unique per object uid and key, a valid name. */
  public static String name(HasMetadata object, String key) {
    String readable = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    String hash = sha(object.getMetadata().getUid() + "/" + key).substring(0, 10);
    String name = object.getMetadata().getName() + "." + readable;
    if (name.length() > 200) {
      name = name.substring(0, 200);
    }
    return name.replaceAll("-+$", "") + "." + hash;
  }

  private static String sha(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
