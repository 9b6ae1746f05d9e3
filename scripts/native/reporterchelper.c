/* libreporterchelper.so: the JNI helper of the builder's progress printer (terminal width, peak RSS). */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass c) {
  struct winsize w;
  (void)env; (void)c;
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 ? w.ws_col : 0;
}

JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass c) {
  struct rusage u;
  (void)env; (void)c;
  return getrusage(RUSAGE_SELF, &u) == 0 ? (jlong)u.ru_maxrss * 1024 : -1;
}
