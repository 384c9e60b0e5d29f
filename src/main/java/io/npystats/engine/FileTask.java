package io.npystats.engine;

/**
 * The per-file work of one thread: item {@code i} of a {@link Work} in, its result out. An
 * instance keeps its buffers from file to file, so it belongs to one thread.
 */
@FunctionalInterface
public interface FileTask<R> {
  R apply(int item);
}
