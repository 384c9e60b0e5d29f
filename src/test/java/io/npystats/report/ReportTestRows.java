package io.npystats.report;

import io.npystats.engine.EngineRun;
import io.npystats.engine.Phase;
import java.util.Collections;

/** Engine runs of 800 MB with chosen timings and CPU = work x workers, for the report's tests. */
final class ReportTestRows {
  private ReportTestRows() {}

  static EngineRun<Object> run(String engine, int workers, double startup, double work, int files) {
    return new EngineRun<>(engine, workers, Phase.STATS, Collections.nCopies(files, "r"),
        0, 800_000_000L, startup, work, work * workers, engine + " detail");
  }
}
