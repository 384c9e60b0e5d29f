package io.npystats.task;

import java.io.Serializable;

/**
 * What generating one file did.
 *
 * @param written false where a complete file was already there and was kept
 */
public record GeneratedFile(long index, String path, boolean written, long bytes, double seconds)
    implements Serializable {}
