/*
 * JNI_OnLoad_<LIB> for one JDK library that an image links dynamically (built once per library with -DLIB=...).
 * An image built with static JDK libraries expects these symbols; here each one calls the JNI_OnLoad of the
 * shared library of the same name, found with dlopen(RTLD_NOLOAD) since every library exports the same name.
 */
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define STR2(a) #a
#define STR(a) STR2(a)

JNIEXPORT jint JNICALL CAT(JNI_OnLoad_, LIB)(JavaVM *vm, void *reserved) {
  void *handle = dlopen("lib" STR(LIB) ".so", RTLD_LAZY | RTLD_NOLOAD);
  if (handle) {
    jint (*onload)(JavaVM *, void *) = (jint(*)(JavaVM *, void *))dlsym(handle, "JNI_OnLoad");
    if (onload) onload(vm, reserved);
  }
  return JNI_VERSION_1_8;
}
