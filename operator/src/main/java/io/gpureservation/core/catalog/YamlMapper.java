package io.gpureservation.core.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The YAML reader for catalogs and usage files: decimals stay exact {@link java.math.BigDecimal}s
 * as written (0.000020 is never a double), and a null for a primitive field is an error.
 */
public final class YamlMapper {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private YamlMapper() {}

  /** The shared, thread-safe mapper. */
  public static ObjectMapper get() {
    return MAPPER;
  }
}
