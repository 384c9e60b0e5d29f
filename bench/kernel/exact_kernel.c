// The per-file kernel of npystats' stats (io.npystats.stats.StreamingStats, its one pass) in C,
// over whole files read as limit.c reads them: each file read whole into one buffer, its header
// skipped, then one pass in eight lanes, each a running sum offset by a power of two far above
// the values (Dekker's fast two-sum: each addition's rounding error is exact), the sum of those
// errors, and the squares of the deviations from the mean of the first 64 values (gcc -O2
// vectorises the lanes in vectors of two doubles, its default target's; C2 does the Java
// kernel's in vectors of four or eight). What an exact
// mean costs where a compiler schedules the arithmetic as a C compiler does: bench/kernel-c.sh
// runs it beside limit.c and the Java kernel on the same files.
//
//   exact_kernel DIR FILES THREADS  ->  "exactT FILES SECONDS FILES_PER_S"
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *folder;
static int file_count, thread_count;
static double kept[64]; // each thread's results, so the compiler cannot drop the work

static void *summarise(void *arg) {
  long thread = (long)arg;
  size_t capacity = (size_t)1 << 26;
  char *bytes = malloc(capacity), name[4096];
  for (int f = thread; f < file_count; f += thread_count) {
    snprintf(name, sizeof name, "%s/file_%d.npy", folder, f);
    int fd = open(name, O_RDONLY);
    if (fd < 0) { perror(name); exit(1); }
    size_t length = 0;
    ssize_t got;
    while ((got = read(fd, bytes + length, capacity - length)) > 0) length += got;
    close(fd);
    unsigned short header;
    memcpy(&header, bytes + 8, 2);
    size_t start = 10 + header, n = (length - start) / 8;
    const double *x = (const double *)(bytes + start);
    double centre = 0;
    size_t sample = n < 64 ? n : 64;
    for (size_t i = 0; i < sample; i++) centre += x[i];
    centre /= sample;
    double offset = ldexp(1.0, 40); // far above any running sum of normal samples
    double s[8], e[8], q[8];
    for (int k = 0; k < 8; k++) { s[k] = offset; e[k] = 0; q[k] = 0; }
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      for (int k = 0; k < 8; k++) { // value i + k to lane k, as the Java lanes take them
        double v = x[i + k], t = s[k] + v, d = v - centre;
        e[k] += v - (t - s[k]);
        s[k] = t;
        q[k] += d * d;
      }
    }
    for (; i < n; i++) {
      double t = s[0] + x[i], d = x[i] - centre;
      e[0] += x[i] - (t - s[0]);
      s[0] = t;
      q[0] += d * d;
    }
    double sum = 0, squares = 0;
    for (int k = 0; k < 8; k++) { sum += (s[k] - offset) + e[k]; squares += q[k]; }
    double mean = sum / n, shift = mean - centre;
    kept[thread] += mean + sqrt(squares / n - shift * shift);
  }
  free(bytes);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: exact_kernel DIR FILES THREADS\n"); return 2; }
  folder = argv[1];
  file_count = atoi(argv[2]);
  thread_count = atoi(argv[3]);
  if (thread_count < 1 || thread_count > 64) return 2;
  struct timespec from, to;
  clock_gettime(CLOCK_MONOTONIC, &from);
  pthread_t threads[64];
  for (long t = 0; t < thread_count; t++) pthread_create(&threads[t], 0, summarise, (void *)t);
  for (int t = 0; t < thread_count; t++) pthread_join(threads[t], 0);
  clock_gettime(CLOCK_MONOTONIC, &to);
  double seconds = (to.tv_sec - from.tv_sec) + (to.tv_nsec - from.tv_nsec) / 1e9;
  printf("exact%d %d %.3f %.1f\n", thread_count, file_count, seconds, file_count / seconds);
  return 0;
}
