//go:build cgo

package mlx

/*
#define _GNU_SOURCE
#include <poll.h>

// The index of the first socket whose peer closed its end or reset it, or
// -1. Polling does not read: MLX's own threads keep every byte.
static int gomlx_first_hangup(const int* fds, int n) {
  struct pollfd p[64];
  if (n > 64) n = 64;
  for (int i = 0; i < n; i++) {
    p[i].fd = fds[i];
    p[i].events = POLLRDHUP;
    p[i].revents = 0;
  }
  if (poll(p, n, 0) <= 0) return -1;
  for (int i = 0; i < n; i++) {
    if (p[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) return i;
  }
  return -1;
}
*/
import "C"

func gomlxFirstHangup(fds *cint, n cint) cint { return C.gomlx_first_hangup(fds, n) }
