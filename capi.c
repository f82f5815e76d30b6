// C plumbing of package mlx; see capi.h.
#define _GNU_SOURCE
#include "capi.h"

#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#elif defined(__APPLE__)
#include <pthread.h>
#endif

void* _Atomic gomlx_default_streams[2][GOMLX_MAX_DEVICES];
_Atomic int gomlx_default_device;
__thread gomlx_scope gomlx_current_scope;
__thread char* gomlx_errmsg;

// mlx-c calls the handler on the thread whose call failed; the shim that made
// the call takes the message before returning to Go.
static void gomlx_error_handler(const char* msg, void* data) {
  (void)data;
  free(gomlx_errmsg);
  gomlx_errmsg = strdup(msg ? msg : "unknown error");
}

void gomlx_install_error_handler(void) {
  mlx_set_error_handler(gomlx_error_handler, NULL, NULL);
}

int gomlx_gettid(void) {
#if defined(__linux__)
  return (int)syscall(SYS_gettid);
#elif defined(__APPLE__)
  uint64_t tid = 0;
  pthread_threadid_np(NULL, &tid);
  return (int)tid;
#else
  return 0;
#endif
}

gomlx_scope gomlx_scope_swap(gomlx_scope next) {
  gomlx_scope prev = gomlx_current_scope;
  gomlx_current_scope = next;
  return prev;
}

void gomlx_set_default_stream(int type, int index, void* ctx) {
  atomic_store_explicit(
      &gomlx_default_streams[type][index], ctx, memory_order_release);
}

void gomlx_set_default_device(int type, int index) {
  atomic_store_explicit(
      &gomlx_default_device, (type << 16) | index, memory_order_release);
}
