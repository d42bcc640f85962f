package io.fluxops.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranges the CRD's schema gives whole-number fields, checked on a spec the API server may not
 * have checked (the mock server runs no schema, and an older CRD may be installed). The limits are
 * read from the same {@code @Min}/{@code @Max} annotations the CRD generator writes into the
 * schema, so the operator and the CRD cannot disagree.
 */
public final class SchemaLimits {

  private static final String API_PACKAGE = SchemaLimits.class.getPackageName();

  private SchemaLimits() {}

  /**
   * Every whole-number field of {@code value} and the API objects it holds that is outside its
   * schema range, as {@code "<path> <value> is out of range: use <min> to <max>"}.
   *
   * @param path the field's path, e.g. {@code spec}
   */
  public static List<String> violations(Object value, String path) {
    List<String> problems = new ArrayList<>();
    collect(value, path, problems);
    return problems;
  }

  private static void collect(Object value, String path, List<String> problems) {
    if (value == null) {
      return;
    }
    for (Field field : value.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      Object fieldValue = read(field, value);
      String fieldPath = path + "." + name(field);
      Min min = field.getAnnotation(Min.class);
      Max max = field.getAnnotation(Max.class);
      if (fieldValue instanceof Number number && (min != null || max != null)) {
        double lower = min == null ? Double.NEGATIVE_INFINITY : min.value();
        double upper = max == null ? Double.POSITIVE_INFINITY : max.value();
        if (!(number.doubleValue() >= lower && number.doubleValue() <= upper)) {
          problems.add(fieldPath + " " + number + " is out of range: use " + range(lower, upper));
        }
      } else if (fieldValue != null && isApiObject(fieldValue.getClass())) {
        collect(fieldValue, fieldPath, problems);
      }
    }
  }

  private static String range(double lower, double upper) {
    if (Double.isInfinite(upper)) {
      return bound(lower) + " or more";
    }
    if (Double.isInfinite(lower)) {
      return bound(upper) + " or less";
    }
    return bound(lower) + " to " + bound(upper);
  }

  private static String bound(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static boolean isApiObject(Class<?> type) {
    return type.getPackageName().equals(API_PACKAGE) && !type.isEnum();
  }

  private static String name(Field field) {
    JsonProperty property = field.getAnnotation(JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : field.getName();
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + field, e);
    }
  }
}
