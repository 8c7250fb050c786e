/*
 * zkdrill-disk.so: slow and lying disks for ZooKeeper's transaction log, preloaded (LD_PRELOAD) into a
 * member of a drill that asks for disk faults (zk-run.sh). This kernel has no device-mapper delay target
 * and cgroup I/O throttling does not slow fsync, so the fault sits between the JVM and libc instead.
 *
 * Only fsync/fdatasync of files under the dataLogDir (/datalog/) are touched: FileTxnLog.commit() forces
 * its channel there. What happens is read from a mode file the harness writes (src/faults/fsync.ts):
 *   absent or empty   the real call
 *   delay <ms>        sleep, then the real call (ZooKeeper's own "fsync-ing the write ahead log" warning)
 *   lie               return 0 without syncing; the first lie per file appends "<bytes> <path>" to the
 *                     unsynced file: the file's write offset at its last real sync, i.e. what is durable.
 *                     power-cut cuts the file back to it, as a lost page cache would.
 * The write offset is the data's end: ZooKeeper appends with write() and preallocates with pwrite(),
 * which leaves the offset alone. Snapshots (dataDir) are not touched.
 *
 * Environment, for tests outside a container: ZKDRILL_DISK_DIR (default /datalog/), ZKDRILL_DISK_MODE
 * (default /zkdrill/disk), ZKDRILL_DISK_UNSYNCED (default /zkdrill/disk-unsynced).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum mode { PASS, DELAY, LIE };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  struct timespec mtime;
  off_t size;
  ino_t ino;
  int present;
  enum mode mode;
  long ms;
  /* Bumped whenever the mode changes: a lie's records are per stretch of lying. */
  unsigned epoch;
} cur;

/* Per file: its write offset at the last real sync, and the lie epoch it was last recorded in. */
#define MAX_FILES 64
static struct {
  char path[256];
  off_t synced;
  unsigned recorded;
} files[MAX_FILES];

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v && *v ? v : fallback;
}

/* The fd's path under the dataLogDir, or 0. */
static int log_path(int fd, char *out, size_t n) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t len = readlink(link, out, n - 1);
  if (len <= 0) return 0;
  out[len] = 0;
  const char *dir = env_or("ZKDRILL_DISK_DIR", "/datalog/");
  return strncmp(out, dir, strlen(dir)) == 0;
}

/* Re-reads the mode file when it changed (stat only on every call). Called with the lock held. */
static void refresh_mode(void) {
  struct stat st;
  const char *path = env_or("ZKDRILL_DISK_MODE", "/zkdrill/disk");
  int present = stat(path, &st) == 0;
  if (present == cur.present && (!present || (st.st_mtim.tv_sec == cur.mtime.tv_sec && st.st_mtim.tv_nsec == cur.mtime.tv_nsec && st.st_size == cur.size && st.st_ino == cur.ino))) return;
  enum mode mode = PASS;
  long ms = 0;
  if (present) {
    cur.mtime = st.st_mtim;
    cur.size = st.st_size;
    cur.ino = st.st_ino;
    char buf[64] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ssize_t r = read(fd, buf, sizeof buf - 1);
      close(fd);
      if (r > 0) buf[r] = 0;
    }
    if (strncmp(buf, "delay ", 6) == 0 && (ms = strtol(buf + 6, NULL, 10)) > 0) mode = DELAY;
    else if (strncmp(buf, "lie", 3) == 0) mode = LIE;
  }
  cur.present = present;
  if (mode != cur.mode || ms != cur.ms) cur.epoch++;
  cur.mode = mode;
  cur.ms = ms;
}

static int slot(const char *path) {
  int free_at = -1;
  for (int i = 0; i < MAX_FILES; i++) {
    if (files[i].path[0] && strcmp(files[i].path, path) == 0) return i;
    if (!files[i].path[0] && free_at < 0) free_at = i;
  }
  if (free_at < 0) free_at = 0; /* more than 64 logs in one process: the oldest slot is reused */
  snprintf(files[free_at].path, sizeof files[free_at].path, "%s", path);
  files[free_at].synced = 0;
  files[free_at].recorded = 0;
  return free_at;
}

static void record_lie(const char *path) {
  int i = slot(path);
  if (files[i].recorded == cur.epoch) return;
  files[i].recorded = cur.epoch;
  char line[320];
  int n = snprintf(line, sizeof line, "%lld %s\n", (long long)files[i].synced, path);
  int fd = open(env_or("ZKDRILL_DISK_UNSYNCED", "/zkdrill/disk-unsynced"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (write(fd, line, (size_t)n) < 0) { /* nothing to do: the power cut then finds no record and says so */ }
  close(fd);
}

static int faulted(int fd, int (*real)(int)) {
  char path[256];
  if (!log_path(fd, path, sizeof path)) return real(fd);
  pthread_mutex_lock(&lock);
  refresh_mode();
  enum mode mode = cur.mode;
  long ms = cur.ms;
  if (mode == LIE) record_lie(path);
  pthread_mutex_unlock(&lock);
  if (mode == LIE) return 0;
  if (mode == DELAY) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR) {}
  }
  off_t at = lseek(fd, 0, SEEK_CUR);
  int rc = real(fd);
  if (rc == 0 && at >= 0) {
    pthread_mutex_lock(&lock);
    files[slot(path)].synced = at;
    pthread_mutex_unlock(&lock);
  }
  return rc;
}

static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

int fsync(int fd) {
  if (!real_fsync) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  return faulted(fd, real_fsync);
}

int fdatasync(int fd) {
  if (!real_fdatasync) real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  return faulted(fd, real_fdatasync);
}
