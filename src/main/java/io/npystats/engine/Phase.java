package io.npystats.engine;

import java.util.Locale;

/** What the per-file work of a run is: summarise existing files, or write new ones. */
public enum Phase {
  STATS,
  GENERATE;

  /** The name used on the command line and in the tables: {@code stats}, {@code generate}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
