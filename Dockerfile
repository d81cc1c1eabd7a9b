# Operator image on a JRE base. Build the jar first (the image build does not run Maven):
#   mvn -B -DskipTests package
#   docker build -t <registry>/gpu-reservation-operator:<tag> .
# See docs/install.md for pushing it and pointing the Helm chart at it.
# BASE_IMAGE: any JRE 17+ image with `java` on PATH (e.g. a mirror in an air-gapped registry).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

WORKDIR /opt/gpu-reservation-operator
COPY operator/target/lib/ lib/
COPY operator/target/gpu-reservation-operator-*.jar gpu-reservation-operator.jar

# Non-root, numeric so that Kubernetes' runAsNonRoot can check it. The chart mounts /tmp as an
# emptyDir because the root filesystem is read-only.
USER 65532:65532
# 8080: /healthz, /readyz (plain HTTP); 8443: /metrics (HTTPS, bearer token; docs/install.md
# "Metrics"); 9443: the mutating webhook (HTTPS).
EXPOSE 8080 8443 9443
ENTRYPOINT ["java", "-jar", "/opt/gpu-reservation-operator/gpu-reservation-operator.jar"]
CMD ["run"]
