package io.npystats.task;

import java.io.Serializable;

/**
 * What generating one file did.
 *
 * @param written false where a file with the same bytes was already there and was kept
 * @param otherBytes whether it was written over a file of the right length that held other bytes
 */
public record GeneratedFile(long index, String path, boolean written, boolean otherBytes, long bytes,
    double seconds)
    implements Serializable {}
