package io.gpureservation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mapping of a usage file with its path, so that every error names the field it is about ({@code
 * functions[1].reserved.active}). Numbers must not be negative anywhere in a usage file.
 */
final class UsageNode {
  private final JsonNode node;
  private final String path;

  UsageNode(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new UsageException(path.isEmpty() ? "(top level)" : path, "must be a mapping");
    }
    this.node = node;
    this.path = path;
  }

  /** This mapping's own path in the file (e.g. {@code phases[2]}). */
  String path() {
    return path;
  }

  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    return node.hasNonNull(name);
  }

  String text(String name) {
    JsonNode value = require(name);
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw new UsageException(field(name), "must be a non-empty text");
    }
    return value.asText().trim();
  }

  String text(String name, String fallback) {
    return has(name) ? text(name) : fallback;
  }

  BigDecimal decimal(String name) {
    JsonNode value = require(name);
    BigDecimal number;
    if (value.isNumber()) {
      number = value.decimalValue();
    } else {
      try {
        number = new BigDecimal(value.asText().trim().replace("_", ""));
      } catch (NumberFormatException e) {
        throw new UsageException(field(name), "not a number: " + value.asText());
      }
    }
    if (number.signum() < 0) {
      throw new UsageException(field(name), "must not be negative: " + number.toPlainString());
    }
    return number;
  }

  BigDecimal decimal(String name, BigDecimal fallback) {
    return has(name) ? decimal(name) : fallback;
  }

  long wholeNumber(String name) {
    BigDecimal value = decimal(name);
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      throw new UsageException(field(name), "must be a whole number: " + value.toPlainString());
    }
  }

  int integer(String name) {
    long value = wholeNumber(name);
    if (value > Integer.MAX_VALUE) {
      throw new UsageException(field(name), "too large: " + value);
    }
    return (int) value;
  }

  boolean flag(String name, boolean fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode value = node.get(name);
    if (!value.isBoolean()) {
      throw new UsageException(field(name), "must be true or false");
    }
    return value.booleanValue();
  }

  /** An ISO-8601 duration (PT1H, PT1.5S, P2D), at millisecond precision, not negative. */
  long durationMillis(String name) {
    String text = text(name);
    Duration duration;
    try {
      duration = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new UsageException(field(name), "not an ISO-8601 duration (e.g. PT1H30M): " + text);
    }
    if (duration.isNegative()) {
      throw new UsageException(field(name), "must not be negative: " + text);
    }
    return duration.toMillis();
  }

  Optional<UsageNode> child(String name) {
    return has(name) ? Optional.of(new UsageNode(node.get(name), field(name))) : Optional.empty();
  }

  List<UsageNode> list(String name) {
    JsonNode value = require(name);
    if (!value.isArray()) {
      throw new UsageException(field(name), "must be a list");
    }
    List<UsageNode> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      items.add(new UsageNode(value.get(i), field(name) + "[" + i + "]"));
    }
    return items;
  }

  List<UsageNode> list(String name, boolean optional) {
    return optional && !has(name) ? List.of() : list(name);
  }

  List<String> texts(String name) {
    JsonNode value = require(name);
    if (!value.isArray()) {
      throw new UsageException(field(name), "must be a list");
    }
    List<String> items = new ArrayList<>();
    value.forEach(item -> items.add(item.asText()));
    return items;
  }

  private JsonNode require(String name) {
    if (!has(name)) {
      throw new UsageException(field(name), "is missing");
    }
    return node.get(name);
  }
}
