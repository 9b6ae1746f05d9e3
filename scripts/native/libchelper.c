/*
 * liblibchelper.a of the local native-image harness: the C helpers that SubstrateVM's Java code declares with
 * @CFunction in @CLibrary("libchelper") classes (LibCHelper, AMD64LibCHelper, LinuxLibCHelper, LocaleCHelper,
 * CSunMiscSignal, Fcntl, PosixVMThreads, AttachHelper). GraalVM distributions ship this library prebuilt and no
 * registry serves it, so it is written here from the Java-side contracts. linux-amd64 only.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

extern char **environ;

char **getEnviron(void) { return environ; }

void codeSynchronization_clearCache(long code_start, long code_size) {
  /* amd64 keeps instruction and data caches coherent. */
  (void)code_start; (void)code_size;
}

int getThreadId(void) { return (int)syscall(SYS_gettid); }

long getThreadUserTimeSlow(int tid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')'); /* the command name may hold spaces */
  if (!p) return -1;
  unsigned long utime = 0;
  /* after ") " come: state(3) ... utime is field 14 of stat, i.e. the 12th after the state */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu", &utime) != 1) return -1;
  return (long)(utime * (1000000000L / sysconf(_SC_CLK_TCK)));
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
  return mremap(old_address, old_size, new_size, flags, new_address);
}

int openSII(const char *pathname, int flags, int mode) { return open(pathname, flags, mode); }
int openatISII(int dirfd, const char *pathname, int flags, int mode) { return openat(dirfd, pathname, flags, mode); }
int fprintfSD(FILE *stream, const char *format, const char *arg0, int arg1) { return fprintf(stream, format, arg0, arg1); }

/* ---- time zone: TZ, /etc/timezone, the /etc/localtime link; the caller frees the result ---- */
char *SVM_FindJavaTZmd(const char *tz_mappings, int length) {
  (void)tz_mappings; (void)length;
  const char *tz = getenv("TZ");
  char buf[PATH_MAX];
  if (tz && *tz) {
    if (*tz == ':') tz++;
    if (strncmp(tz, "/usr/share/zoneinfo/", 20) == 0) tz += 20;
    return strdup(tz);
  }
  FILE *f = fopen("/etc/timezone", "r");
  if (f) {
    char *line = fgets(buf, sizeof buf, f);
    fclose(f);
    if (line) {
      line[strcspn(line, " \t\r\n")] = 0;
      if (*line) return strdup(line);
    }
  }
  ssize_t n = readlink("/etc/localtime", buf, sizeof buf - 1);
  if (n > 0) {
    buf[n] = 0;
    char *z = strstr(buf, "zoneinfo/");
    if (z) return strdup(z + 9);
  }
  return strdup("UTC");
}

/* ---- locale: the language/script/country/variant of LC_MESSAGES (display) and LC_CTYPE (format) ---- */
static svm_locale_props_t locale_props;

static int parse_locale(const char *name, char **language, char **script, char **country, char **variant) {
  char copy[256];
  if (!name || !*name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0) name = "en_US";
  snprintf(copy, sizeof copy, "%s", name);
  char *at = strchr(copy, '@');
  *variant = NULL;
  *script = NULL;
  if (at) { *at = 0; if (strcmp(at + 1, "latin") == 0) *script = strdup("Latn"); else if (strcmp(at + 1, "cyrillic") == 0) *script = strdup("Cyrl"); }
  char *dot = strchr(copy, '.');
  if (dot) *dot = 0;
  char *us = strchr(copy, '_');
  if (us) { *us = 0; *country = strdup(us + 1); } else *country = NULL;
  *language = strdup(copy);
  return *language ? 0 : -1;
}

static const char *locale_env(const char *category) {
  const char *v = getenv("LC_ALL");
  if (v && *v) return v;
  v = getenv(category);
  if (v && *v) return v;
  return getenv("LANG");
}

int svm_initialize_locale(void) {
  if (parse_locale(locale_env("LC_MESSAGES"), &locale_props.display_language, &locale_props.display_script,
                   &locale_props.display_country, &locale_props.display_variant) != 0) return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
  if (parse_locale(locale_env("LC_CTYPE"), &locale_props.format_language, &locale_props.format_script,
                   &locale_props.format_country, &locale_props.format_variant) != 0) return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
  return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) { return &locale_props; }

/* ---- sun.misc.Signal: the C handler counts signals and posts a semaphore the dispatcher thread waits on ---- */
static volatile int signal_owner;
static volatile int pending[NSIG];
static sem_t signal_semaphore;

int cSunMiscSignal_open(void) {
  if (!__sync_bool_compare_and_swap(&signal_owner, 0, 1)) return 1;
  memset((void *)pending, 0, sizeof pending);
  return sem_init(&signal_semaphore, 0, 0) == 0 ? 0 : -1;
}

int cSunMiscSignal_close(void) {
  if (!__sync_bool_compare_and_swap(&signal_owner, 1, 0)) return -1;
  return sem_destroy(&signal_semaphore);
}

int cSunMiscSignal_awaitSemaphore(void) {
  int r = sem_wait(&signal_semaphore);
  return (r == 0 || errno == EINTR) ? 0 : r;
}

int cSunMiscSignal_signalSemaphore(void) { return sem_post(&signal_semaphore); }

int cSunMiscSignal_signalRangeCheck(int sig) { return sig > 0 && sig < NSIG; }

int cSunMiscSignal_checkPendingSignal(void) {
  for (int sig = 1; sig < NSIG; sig++) {
    int n = pending[sig];
    if (n > 0 && __sync_bool_compare_and_swap(&pending[sig], n, n - 1)) return sig;
  }
  return -1;
}

static void dispatch_signal(int sig) {
  if (sig > 0 && sig < NSIG) {
    int saved = errno;
    __sync_fetch_and_add(&pending[sig], 1);
    sem_post(&signal_semaphore);
    errno = saved;
  }
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) { return (void *)dispatch_signal; }

/* ---- attach API: not provided by the harness (images are built without --enable-monitoring=attach) ---- */
void svm_attach_startup(const char *path) { (void)path; }
void svm_attach_listener_cleanup(int s, const char *path) { (void)s; (void)path; }
int svm_attach_check_socket_file(const char *path) { (void)path; return 0; }
int svm_attach_is_init_trigger(const char *path) { (void)path; return 0; }
int svm_attach_create_listener(const char *path) { (void)path; errno = ENOSYS; return -1; }
int svm_attach_wait_for_request(int s) { (void)s; errno = ENOSYS; return -1; }
void svm_attach_shutdown_socket(int s) { (void)s; }

/* ---- CPU features (cpuid), following the meaning HotSpot's vm_version_x86 gives each flag ---- */
static int xgetbv_ymm_enabled(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (eax & 0x6) == 0x6;
}

static int xgetbv_zmm_enabled(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (eax & 0xe6) == 0xe6;
}

void determineCPUFeatures(CPUFeatures *f) {
  unsigned int a, b, c, d, max = 0, maxext = 0;
  memset(f, 0, sizeof *f);
  if (!__get_cpuid(0, &max, &b, &c, &d)) return;
  int intel = b == 0x756e6547; /* "Genu" */
  __get_cpuid(0x80000000, &maxext, &b, &c, &d);
  __cpuid(1, a, b, c, d);
  unsigned int c1 = c, d1 = d;
  f->fCX8 = (d1 >> 8) & 1;
  f->fCMOV = (d1 >> 15) & 1;
  f->fFXSR = (d1 >> 24) & 1;
  f->fHT = (d1 >> 28) & 1;
  f->fMMX = (d1 >> 23) & 1;
  f->fSSE = (d1 >> 25) & 1;
  f->fSSE2 = (d1 >> 26) & 1;
  f->fTSC = (d1 >> 4) & 1;
  f->fFLUSH = (d1 >> 19) & 1;
  f->fSSE3 = c1 & 1;
  f->fCLMUL = (c1 >> 1) & 1;
  f->fSSSE3 = (c1 >> 9) & 1;
  f->fFMA = 0;
  f->fSSE4_1 = (c1 >> 19) & 1;
  f->fSSE4_2 = (c1 >> 20) & 1;
  f->fPOPCNT = (c1 >> 23) & 1;
  f->fAES = (c1 >> 25) & 1;
  f->fHV = (c1 >> 31) & 1;
  int osxsave = (c1 >> 27) & 1;
  int avx = osxsave && ((c1 >> 28) & 1) && xgetbv_ymm_enabled();
  f->fAVX = avx;
  f->fVZEROUPPER = avx;
  if (avx) {
    f->fFMA = (c1 >> 12) & 1;
    f->fF16C = (c1 >> 29) & 1;
  }
  if (max >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    unsigned int b7 = b, c7 = c, d7 = d, a7 = a;
    f->fBMI1 = (b7 >> 3) & 1;
    f->fBMI2 = (b7 >> 8) & 1;
    f->fERMS = (b7 >> 9) & 1;
    f->fRTM = (b7 >> 11) & 1;
    f->fADX = (b7 >> 19) & 1;
    f->fSHA = (b7 >> 29) & 1;
    f->fFLUSHOPT = (b7 >> 23) & 1;
    f->fCLWB = (b7 >> 24) & 1;
    f->fPKU = (c7 >> 3) & 1;
    f->fOSPKE = (c7 >> 4) & 1;
    f->fGFNI = (c7 >> 8) & 1;
    f->fRDPID = (c7 >> 22) & 1;
    f->fFSRM = (d7 >> 4) & 1;
    f->fSERIALIZE = (d7 >> 14) & 1;
    f->fCET_IBT = (d7 >> 20) & 1;
    f->fCET_SS = (c7 >> 7) & 1;
    if (avx) {
      f->fAVX2 = (b7 >> 5) & 1;
      if (xgetbv_zmm_enabled()) {
        f->fAVX512F = (b7 >> 16) & 1;
        if (f->fAVX512F) {
          f->fAVX512DQ = (b7 >> 17) & 1;
          f->fAVX512_IFMA = (b7 >> 21) & 1;
          f->fAVX512PF = (b7 >> 26) & 1;
          f->fAVX512ER = (b7 >> 27) & 1;
          f->fAVX512CD = (b7 >> 28) & 1;
          f->fAVX512BW = (b7 >> 30) & 1;
          f->fAVX512VL = (b7 >> 31) & 1;
          f->fAVX512_VBMI = (c7 >> 1) & 1;
          f->fAVX512_VBMI2 = (c7 >> 6) & 1;
          f->fAVX512_VAES = (c7 >> 9) & 1;
          f->fAVX512_VPCLMULQDQ = (c7 >> 10) & 1;
          f->fAVX512_VNNI = (c7 >> 11) & 1;
          f->fAVX512_BITALG = (c7 >> 12) & 1;
          f->fAVX512_VPOPCNTDQ = (c7 >> 14) & 1;
          f->fAVX512_FP16 = (d7 >> 23) & 1;
        }
      }
      if (a7 >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        f->fAVX_IFMA = (a >> 23) & 1;
        f->fSHA512 = 0; /* left off: the compiler does not require it for any -march the harness builds */
      }
    }
  }
  if (maxext >= 0x80000001) {
    __cpuid(0x80000001, a, b, c, d);
    f->fLZCNT = (c >> 5) & 1;
    f->fSSE4A = (c >> 6) & 1;
    f->fAMD_3DNOW_PREFETCH = (c >> 8) & 1;
    f->fRDTSCP = (d >> 27) & 1;
  }
  if (maxext >= 0x80000007) {
    __cpuid(0x80000007, a, b, c, d);
    f->fTSCINV_BIT = (d >> 8) & 1;
    f->fTSCINV = f->fTSCINV_BIT;
  }
  (void)intel;
}

/* The build-time mask holds each required feature as the byte ~1 and everything else as 0xff (see
 * CPUFeatureAccessFeatureBase), over the struct rounded up to 8 bytes: a required feature is missing when
 * (present | mask) is not all ones. */
int checkCPUFeatures(const unsigned char *mask) {
  unsigned char present[(sizeof(CPUFeatures) + 7) / 8 * 8];
  memset(present, 0, sizeof present);
  determineCPUFeatures((CPUFeatures *)present);
  for (size_t i = 0; i < sizeof present; i++) {
    if ((unsigned char)(present[i] | mask[i]) != 0xff) return -1;
  }
  return 0;
}

int checkCPUFeaturesOrExit(const unsigned char *mask, const char *message) {
  int r = checkCPUFeatures(mask);
  if (r != 0) {
    fprintf(stderr, "%s\n", message);
    exit(1);
  }
  return r;
}
