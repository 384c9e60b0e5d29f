package io.npystats.compare;

import io.npystats.engine.Phase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to compare.
 *
 * @param input a folder, glob or list of files to read, or null to generate the files
 * @param files the numbers of files to run on, ascending: each is the first so many files of
 *     the input (the files of the lowest indexes when generated); empty for every file of the
 *     input. More than one is a sweep, which shows where start-up stops mattering.
 * @param workers the worker counts, ascending
 * @param engines names from {@link Engines#NAMES}; sequential runs whether named or not
 * @param repeats measured runs after each warm-up
 * @param warehouse where the {@code benchmarks} table goes
 * @param reportDir where the chart and the report go
 * @param workDir where generated inputs and the generate phase's folders go
 * @param master the cluster for {@code spark-cluster}, or null
 * @param sparkSettings Spark settings for the sessions the spark engines start
 * @param progress whether to draw progress bars on standard error
 */
public record ComparisonSettings(String input, List<Long> files, long samples, long seed,
    List<Integer> workers, List<String> engines, Set<Phase> phases, int repeats, String warehouse,
    Path reportDir, String workDir, String runId, String master, Map<String, String> sparkSettings,
    boolean progress) {}
