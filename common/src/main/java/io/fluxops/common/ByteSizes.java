package io.fluxops.common;

import java.util.Locale;

/** Byte counts for people: decimal units, as storage is sold and as Kubernetes quantities read. */
public final class ByteSizes {
  private ByteSizes() {}

  public static String show(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : "%.1f %s", value, units[unit]);
  }
}
