package io.npystats.engine;

/** Told as files finish, from any thread; a progress bar, or nothing. */
@FunctionalInterface
public interface Progress {
  Progress NONE = files -> {};

  void advance(int files);
}
