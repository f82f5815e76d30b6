//go:build cgo

package mlx

/*
#include "capi.h"

static char* gomlx_device_count(int type, int* count) {
  return gomlx_status(mlx_device_count(count, (mlx_device_type)type));
}

static char* gomlx_device_is_available(int type, int index, bool* avail) {
  mlx_device d = mlx_device_new_type((mlx_device_type)type, index);
  int rc = mlx_device_is_available(avail, d);
  mlx_device_free(d);
  return gomlx_status(rc);
}

static char* gomlx_device_info(int type, int index, mlx_device_info* info, mlx_vector_string* keys) {
  mlx_device d = mlx_device_new_type((mlx_device_type)type, index);
  *info = mlx_device_info_new();
  *keys = mlx_vector_string_new();
  int rc = mlx_device_info_get(info, d);
  if (!rc) rc = mlx_device_info_get_keys(keys, *info);
  mlx_device_free(d);
  return gomlx_status(rc);
}

// One key of a device_info: a string (is_string) or a size.
static char* gomlx_device_info_value(mlx_device_info info, const char* key, bool* is_string, const char** s, size_t* n) {
  int rc = mlx_device_info_is_string(is_string, info, key);
  if (!rc) rc = *is_string ? mlx_device_info_get_string(s, info, key) : mlx_device_info_get_size(n, info, key);
  return gomlx_status(rc);
}

static int gomlx_effective_default_device(void) {
  if (gomlx_current_scope.active) return (gomlx_current_scope.type << 16) | gomlx_current_scope.index;
  return atomic_load_explicit(&gomlx_default_device, memory_order_acquire);
}
*/
import "C"

func gomlxDeviceCount(typ cint, count *cint) *cchar { return C.gomlx_device_count(typ, count) }
func gomlxDeviceInfo(typ cint, index cint, info *mlxDeviceInfo, keys *mlxVectorString) *cchar {
	return C.gomlx_device_info(typ, index, info, keys)
}
func gomlxDeviceInfoValue(info mlxDeviceInfo, key *cchar, isString *cbool, s **cchar, n *csize) *cchar {
	return C.gomlx_device_info_value(info, key, isString, s, n)
}
func gomlxDeviceIsAvailable(typ cint, index cint, avail *cbool) *cchar {
	return C.gomlx_device_is_available(typ, index, avail)
}
func gomlxEffectiveDefaultDevice() cint { return C.gomlx_effective_default_device() }
