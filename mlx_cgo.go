//go:build cgo

package mlx

/*
#include "capi.h"

static char* gomlx_version(char** out) {
  mlx_string s = mlx_string_new();
  int rc = mlx_version(&s);
  if (!rc) *out = strdup(mlx_string_data(s));
  mlx_string_free(s);
  return gomlx_status(rc);
}
*/
import "C"

func gomlxVersion(out **cchar) *cchar { return C.gomlx_version(out) }

func init() { setup() }

// libError is the error that keeps the package from working: a version
// mismatch found by setup.
func libError() error { return loadErr }

func setLibraryPath(string) error {
	return newError("set_library_path", "this build links mlx-c when it is built (cgo); SetLibraryPath applies to builds with CGO_ENABLED=0", ErrInvalidArgument)
}
