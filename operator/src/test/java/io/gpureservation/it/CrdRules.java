package io.gpureservation.it;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lists every validation rule a CRD's schema declares, one id each, so that a test can require a
 * refusing case per rule. Ids: {@code <path>: <keyword>} for schema keywords ({@code spec.cards:
 * minimum}), {@code <path>: required <field>}, and {@code <path>: <message>} for CEL rules ({@code
 * x-kubernetes-validations}; the rule text when there is no message).
 */
final class CrdRules {
  private CrdRules() {}

  static Set<String> of(CustomResourceDefinition crd) {
    Set<String> ids = new TreeSet<>();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      for (Map.Entry<String, JSONSchemaProps> top : root.getProperties().entrySet()) {
        walk(top.getKey(), top.getValue(), ids);
      }
    }
    return ids;
  }

  private static void walk(String path, JSONSchemaProps s, Set<String> ids) {
    keyword(ids, path, "pattern", s.getPattern());
    keyword(ids, path, "minimum", s.getMinimum());
    keyword(ids, path, "maximum", s.getMaximum());
    keyword(ids, path, "minLength", s.getMinLength());
    keyword(ids, path, "maxLength", s.getMaxLength());
    keyword(ids, path, "minItems", s.getMinItems());
    keyword(ids, path, "maxItems", s.getMaxItems());
    keyword(ids, path, "minProperties", s.getMinProperties());
    keyword(ids, path, "maxProperties", s.getMaxProperties());
    keyword(ids, path, "multipleOf", s.getMultipleOf());
    keyword(ids, path, "format", s.getFormat());
    keyword(ids, path, "enum", s.getEnum() == null || s.getEnum().isEmpty() ? null : s.getEnum());
    if (s.getRequired() != null) {
      s.getRequired().forEach(field -> ids.add(path + ": required " + field));
    }
    if (s.getXKubernetesValidations() != null) {
      for (ValidationRule rule : s.getXKubernetesValidations()) {
        ids.add(path + ": " + (rule.getMessage() != null ? rule.getMessage() : rule.getRule()));
      }
    }
    if (s.getProperties() != null) {
      s.getProperties().forEach((name, child) -> walk(path + "." + name, child, ids));
    }
    if (s.getItems() != null && s.getItems().getSchema() != null) {
      walk(path + "[]", s.getItems().getSchema(), ids);
    }
    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", s.getAdditionalProperties().getSchema(), ids);
    }
  }

  private static void keyword(Set<String> ids, String path, String keyword, Object value) {
    if (value != null) {
      ids.add(path + ": " + keyword);
    }
  }
}
