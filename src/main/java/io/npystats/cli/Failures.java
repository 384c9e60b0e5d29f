package io.npystats.cli;

import io.npystats.spark.WarehouseWriteException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * A failed command's one line for a person: what it could not do (the table or warehouse it was
 * writing) and the root cause from deep in the exception chain, where Spark's own message names
 * a task's staging folder and a wrapped wrapper of the reason.
 */
final class Failures {
  private Failures() {}

  static String describe(Throwable e) {
    String reason = rootReason(e);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WarehouseWriteException) {
        return t.getMessage() + ": " + (reason != null ? reason : firstLine(message(t.getCause())));
      }
    }
    return reason != null ? reason : message(e);
  }

  /** The cause a person can act on, found anywhere in the chain; null when none is known. */
  static String rootReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      String lower = message.toLowerCase(Locale.ROOT);
      if (lower.contains("no space left on device")) {
        return "no space left on device";
      }
      if (lower.contains("disk quota exceeded")) {
        return "disk quota exceeded";
      }
      if (t instanceof AccessDeniedException denied) {
        // An object store says why (its status code and the request): a local file system does not.
        return denied.getReason() != null
            ? denied.getFile() + ": access denied: " + firstLine(denied.getReason())
            : denied.getFile() + " is not writable (permission denied)";
      }
      if (t instanceof FileSystemException fs && fs.getReason() != null) {
        String what = fs.getReason().toLowerCase(Locale.ROOT);
        if (what.contains("read-only file system")) {
          return fs.getFile() + " is not writable (read-only file system)";
        }
        if (what.contains("not a directory")) {
          return fs.getFile() + " is not writable (part of its path is a file, not a folder)";
        }
      }
      if (t instanceof java.nio.file.FileAlreadyExistsException exists) {
        return exists.getFile() + " is not writable (part of its path is a file, not a folder)";
      }
      if (lower.contains("permission denied") || lower.startsWith("mkdirs failed to create")) {
        return "not writable (" + firstLine(message) + ")";
      }
      if (lower.contains("read-only file system")) {
        return "not writable (" + firstLine(message) + ")";
      }
    }
    return null;
  }

  /** The first non-blank message in the chain, or the exception's class name. */
  static String message(Throwable e) {
    String message = e.getMessage();
    Throwable cause = e;
    while ((message == null || message.isBlank()) && cause.getCause() != null) {
      cause = cause.getCause();
      message = cause.getMessage();
    }
    return message == null ? e.getClass().getSimpleName() : message.strip();
  }

  private static String firstLine(String message) {
    return message.lines().findFirst().orElse("");
  }
}
