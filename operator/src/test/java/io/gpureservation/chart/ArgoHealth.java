package io.gpureservation.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs a health check shipped in the chart ({@code files/argocd/<kind>-health.lua}) the way Argo CD
 * does: the object as a Lua table in the global {@code obj}, the script's returned table read for
 * {@code status} and {@code message}.
 */
public final class ArgoHealth {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The verdict of a health check. */
  public record Verdict(String status, String message) {}

  private ArgoHealth() {}

  /** The chart's health check for {@code kind} (e.g. {@code residentpool}). */
  public static Path script(String kind) {
    return Path.of("..", "helm", "gpu-reservation-operator", "files", "argocd")
        .resolve(kind + "-health.lua");
  }

  /** Runs the check for {@code kind} on {@code resource} (any object Jackson can serialise). */
  public static Verdict of(String kind, Object resource) {
    try {
      Globals globals = JsePlatform.standardGlobals();
      globals.set("obj", lua(JSON.convertValue(resource, Object.class)));
      LuaValue result = globals.load(Files.readString(script(kind)), kind).call();
      return new Verdict(result.get("status").tojstring(), result.get("message").tojstring());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LuaValue lua(Object value) {
    if (value == null) {
      return LuaValue.NIL;
    }
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> table.set(k.toString(), lua(v)));
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, lua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return LuaValue.valueOf(value.toString());
  }
}
