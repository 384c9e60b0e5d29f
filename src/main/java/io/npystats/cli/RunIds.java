package io.npystats.cli;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Run ids that sort by time and never look like numbers, e.g. {@code stats-20261125T210355-3fa9}. */
final class RunIds {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

  private RunIds() {}

  static String next(String command) {
    return command + "-" + FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
        + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }
}
