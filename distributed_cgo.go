//go:build cgo

package mlx

/*
#include "capi.h"

typedef struct {
  bool strict;
  const char* backend; // NULL: "any"
  mlx_distributed_group res;
} gomlx_distributed_init_args;

// Runs on the MLX thread: MLX keeps its initialized backends in a global
// table without a lock.
static int gomlx_distributed_init_run(void* p) {
  gomlx_distributed_init_args* a = (gomlx_distributed_init_args*)p;
  a->res = mlx_distributed_group_new();
  int rc = mlx_distributed_init(&a->res, a->strict, a->backend);
  if (rc && a->res.ctx) {
    mlx_distributed_group_free(a->res);
    a->res.ctx = NULL;
  }
  return rc;
}

static char* gomlx_distributed_init(bool strict, const char* backend, mlx_distributed_group* res) {
  gomlx_distributed_init_args a = {strict, backend, {NULL}};
  char* err;
  if (gomlx_transform_depth > 0) {
    // Inside a transform this thread holds the transform lock, which the
    // MLX thread's calls take too: running here is just as exclusive (and
    // the MLX thread must not be asked: it may be waiting for this lock).
    gomlx_errmsg = NULL;
    err = gomlx_distributed_init_run(&a) ? gomlx_take_error() : NULL;
  } else {
    err = gomlx_owner_call(gomlx_distributed_init_run, &a);
  }
  *res = a.res;
  return err;
}

// mlx-c returns 0 for both a rank and a failure: the error slot tells them apart.
static char* gomlx_distributed_group_info(mlx_distributed_group g, int* rank, int* size) {
  gomlx_errmsg = NULL;
  *rank = mlx_distributed_group_rank(g);
  if (gomlx_errmsg) return gomlx_take_error();
  *size = mlx_distributed_group_size(g);
  if (gomlx_errmsg) return gomlx_take_error();
  return NULL;
}

static char* gomlx_distributed_group_split(mlx_distributed_group g, int color, int key, mlx_distributed_group* res) {
  *res = mlx_distributed_group_new();
  if (mlx_distributed_group_split(res, g, color, key)) {
    if (res->ctx) mlx_distributed_group_free(*res);
    res->ctx = NULL;
    return gomlx_take_error();
  }
  return NULL;
}

static int gomlx_distributed_is_available(const char* backend) {
  gomlx_errmsg = NULL;
  bool ok = mlx_distributed_is_available(backend);
  if (gomlx_errmsg) {
    free(gomlx_take_error());
    return 0;
  }
  return ok;
}
*/
import "C"

func gomlxDistributedGroupInfo(g mlxDistributedGroup, rank *cint, size *cint) *cchar {
	return C.gomlx_distributed_group_info(g, rank, size)
}
func gomlxDistributedGroupSplit(g mlxDistributedGroup, color cint, key cint, res *mlxDistributedGroup) *cchar {
	return C.gomlx_distributed_group_split(g, color, key, res)
}
func gomlxDistributedInit(strict cbool, backend *cchar, res *mlxDistributedGroup) *cchar {
	return C.gomlx_distributed_init(strict, backend, res)
}
func gomlxDistributedIsAvailable(backend *cchar) cint {
	return C.gomlx_distributed_is_available(backend)
}
