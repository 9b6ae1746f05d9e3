/*
 * The JVM_* functions of the local native-image harness, built twice by scripts/native-toolchain.sh:
 *  - libjvm.a, linked into every image: SubstrateVM's own Jvm class calls initialize() and JVM_ActiveProcessorCount();
 *  - a stand-in libjvm.so (version node SUNWprivate_1.1) next to the JDK's shared JNI libraries the images link
 *    (libjava.so, libnet.so, libzip.so...), which call a handful of JVM_* functions. What they call in practice is
 *    implemented here; the rest is stubbed by the generated jvm_stubs.c (a warning, then 0).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT void initialize(void) {}

EXPORT int JVM_ActiveProcessorCount(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

#ifdef JVM_SHARED
EXPORT long JVM_CurrentTimeMillis(void *env, void *ignored) {
  struct timeval tv;
  (void)env; (void)ignored;
  gettimeofday(&tv, NULL);
  return (long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

EXPORT long JVM_NanoTime(void *env, void *ignored) {
  struct timespec ts;
  (void)env; (void)ignored;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

EXPORT long JVM_GetNanoTimeAdjustment(void *env, void *ignored, long offset_secs) {
  struct timespec ts;
  (void)env; (void)ignored;
  clock_gettime(CLOCK_REALTIME, &ts);
  long secs = ts.tv_sec - offset_secs;
  if (secs > 0xFFFFFFFFL || secs < -0xFFFFFFFFL) return -1; /* the JDK's "offset too far off" answer */
  return secs * 1000000000L + ts.tv_nsec;
}

EXPORT void JVM_Halt(int code) { exit(code); }
EXPORT void JVM_BeforeHalt(void) {}
EXPORT int JVM_IsUseContainerSupport(void) { return 0; }
EXPORT int JVM_IsContainerized(void) { return 0; }
EXPORT int JVM_IsSupportedJNIVersion(int version) { return version >= 0x00010001 && version <= 0x00180000; }

EXPORT void *JVM_RawMonitorCreate(void) {
  pthread_mutex_t *m = malloc(sizeof *m);
  if (m) pthread_mutex_init(m, NULL);
  return m;
}
EXPORT void JVM_RawMonitorDestroy(void *m) { pthread_mutex_destroy(m); free(m); }
EXPORT int JVM_RawMonitorEnter(void *m) { return pthread_mutex_lock(m); }
EXPORT void JVM_RawMonitorExit(void *m) { pthread_mutex_unlock(m); }

EXPORT char *JVM_NativePath(char *path) { return path; }

EXPORT void *JVM_LoadLibrary(const char *name, int throw_exception) { (void)throw_exception; return dlopen(name, RTLD_LAZY); }
EXPORT void JVM_UnloadLibrary(void *handle) { dlclose(handle); }
EXPORT void *JVM_FindLibraryEntry(void *handle, const char *name) { return dlsym(handle ? handle : RTLD_DEFAULT, name); }

static const struct { const char *name; int number; } signal_names[] = {
  {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL}, {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},
  {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
  {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
  {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG}, {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
  {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO}, {"PWR", SIGPWR}, {"SYS", SIGSYS},
};

EXPORT int JVM_FindSignal(const char *name) {
  for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++) {
    if (strcmp(name, signal_names[i].name) == 0) return signal_names[i].number;
  }
  return -1;
}

EXPORT void *JVM_RegisterSignal(int sig, void *handler) {
  void (*old)(int) = signal(sig, (void (*)(int))handler);
  return old == SIG_ERR ? (void *)-1 : (void *)old;
}

EXPORT int JVM_RaiseSignal(int sig) { return raise(sig) == 0; }

EXPORT int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
  if ((long)count <= 0) return -1;
  int r = vsnprintf(str, count, fmt, args);
  if (r >= (int)count) { str[count - 1] = 0; return -1; }
  return r;
}

EXPORT int jio_snprintf(char *str, size_t count, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = jio_vsnprintf(str, count, fmt, ap);
  va_end(ap);
  return r;
}

EXPORT int jio_vfprintf(FILE *f, const char *fmt, va_list args) { return vfprintf(f, fmt, args); }

EXPORT int jio_fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}

EXPORT int jio_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}

/* Called by the generated stubs for JVM_* functions the JDK libraries reference but the images never use. */
EXPORT void wagate_jvm_unsupported(const char *name) {
  fprintf(stderr, "warning: unsupported JVM function %s called (native-image harness stand-in libjvm)\n", name);
}
#endif
