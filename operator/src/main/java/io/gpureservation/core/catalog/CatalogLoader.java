package io.gpureservation.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the bundled catalog and merges a user file over it.
 *
 * <p>Merge rule: mappings merge key by key, recursively; a scalar or a list in the user file
 * replaces the default's value at that key. So a user file can add a card type or a region, change
 * one price, or replace a whole tier list, without repeating the rest of the catalog.
 */
final class CatalogLoader {
  static final String DEFAULT_RESOURCE = "/io/gpureservation/catalog/default-catalog.yaml";

  private static final ObjectMapper YAML = YamlMapper.get();

  private CatalogLoader() {}

  static CatalogModel defaults() {
    return bind(readDefaults(), "bundled catalog");
  }

  static CatalogModel load(Path file) {
    JsonNode user;
    try {
      user = YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new CatalogException(
          "catalog " + file + ": malformed YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CatalogException("catalog " + file + ": cannot read: " + e.getMessage(), e);
    }
    JsonNode merged = readDefaults();
    if (user != null && !user.isMissingNode() && !user.isNull()) {
      if (!user.isObject()) {
        throw new CatalogException("catalog " + file + ": top level must be a mapping");
      }
      merge((ObjectNode) merged, (ObjectNode) user);
    }
    return bind(merged, "catalog " + file);
  }

  private static JsonNode readDefaults() {
    try (InputStream in = CatalogLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new CatalogException("bundled catalog " + DEFAULT_RESOURCE + " is missing");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new CatalogException("bundled catalog: " + e.getMessage(), e);
    }
  }

  /** Deep merge of {@code overlay} into {@code base} (see the class comment for the rule). */
  static void merge(ObjectNode base, ObjectNode overlay) {
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = base.get(field.getKey());
      if (existing instanceof ObjectNode baseChild
          && field.getValue() instanceof ObjectNode child) {
        merge(baseChild, child);
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  private static CatalogModel bind(JsonNode tree, String source) {
    try {
      CatalogModel model = YAML.treeToValue(tree, CatalogModel.class);
      CatalogValidator.validate(model, source);
      return model;
    } catch (MismatchedInputException e) {
      throw new CatalogException(source + ": field " + path(e) + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new CatalogException(source + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}
