package io.gpureservation.cluster;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Pins a gated pod to the node its held capacity is on (docs/capacity-holding.md "Hand-over"): a
 * required node affinity {@code kubernetes.io/hostname In [node]}, added to every required term the
 * pod already has (terms are alternatives). Kubernetes allows narrowing a gated pod's scheduling
 * constraints, so this is written in the same patch that lifts the gate.
 */
public final class NodePin {
  private NodePin() {}

  public static void pinTo(Pod pod, String node) {
    require(
        pod,
        new NodeSelectorRequirementBuilder()
            .withKey(PlaceholderPods.HOSTNAME_LABEL)
            .withOperator("In")
            .withValues(node)
            .build());
  }

  /**
   * Adds a required node selector requirement to every required term of a gated pod (e.g. the nodes
   * of a pool's card series).
   */
  public static void require(Pod pod, NodeSelectorRequirement onNode) {
    if (pod.getSpec().getAffinity() == null) {
      pod.getSpec().setAffinity(new Affinity());
    }
    Affinity affinity = pod.getSpec().getAffinity();
    if (affinity.getNodeAffinity() == null) {
      affinity.setNodeAffinity(new NodeAffinity());
    }
    NodeAffinity nodeAffinity = affinity.getNodeAffinity();
    NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null
        || required.getNodeSelectorTerms() == null
        || required.getNodeSelectorTerms().isEmpty()) {
      NodeSelectorTerm term = new NodeSelectorTerm();
      term.setMatchExpressions(new ArrayList<>(List.of(onNode)));
      nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(
          new NodeSelector(new ArrayList<>(List.of(term))));
      return;
    }
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      List<NodeSelectorRequirement> expressions =
          term.getMatchExpressions() == null
              ? new ArrayList<>()
              : new ArrayList<>(term.getMatchExpressions());
      expressions.add(onNode);
      term.setMatchExpressions(expressions);
    }
  }
}
