//go:build cgo

package mlx

/*
#define _GNU_SOURCE
#include <stdio.h>
#include "capi.h"

static char* gomlx_graph_text(int dot, mlx_node_namer namer, const mlx_array* a, size_t n,
                              char** text, size_t* size) {
  *text = NULL;
  *size = 0;
  FILE* f = open_memstream(text, size);
  if (!f) return strdup("cannot open an in-memory stream");
  mlx_node_namer fresh = {NULL};
  if (!namer.ctx) namer = fresh = mlx_node_namer_new();
  mlx_vector_array v = mlx_vector_array_new_data(a, n);
  gomlx_errmsg = NULL;
  int rc = namer.ctx ? (dot ? mlx_export_to_dot(f, namer, v) : mlx_print_graph(f, namer, v)) : 1;
  mlx_vector_array_free(v);
  if (fresh.ctx) mlx_node_namer_free(fresh);
  if (fclose(f) && !rc) {
    free(*text);
    *text = NULL;
    return strdup("cannot write to an in-memory stream");
  }
  if (rc) {
    free(*text);
    *text = NULL;
    return gomlx_take_error();
  }
  return NULL;
}

static char* gomlx_node_namer_new(mlx_node_namer* res) {
  gomlx_errmsg = NULL;
  *res = mlx_node_namer_new();
  return res->ctx ? NULL : gomlx_take_error();
}

static char* gomlx_node_namer_set_name(mlx_node_namer namer, mlx_array a, const char* name) {
  return gomlx_status(mlx_node_namer_set_name(namer, a, name));
}

// The name lives in the namer and changes with it: copied here.
static char* gomlx_node_namer_get_name(mlx_node_namer namer, mlx_array a, char** name) {
  const char* s = NULL;
  int rc = mlx_node_namer_get_name(&s, namer, a);
  if (!rc) *name = strdup(s ? s : "");
  return gomlx_status(rc);
}
*/
import "C"

func gomlxGraphText(dot cint, namer mlxNodeNamer, a *mlxArray, n csize, text **cchar, size *csize) *cchar {
	return C.gomlx_graph_text(dot, namer, a, n, text, size)
}
func gomlxNodeNamerGetName(namer mlxNodeNamer, a mlxArray, name **cchar) *cchar {
	return C.gomlx_node_namer_get_name(namer, a, name)
}
func gomlxNodeNamerNew(res *mlxNodeNamer) *cchar { return C.gomlx_node_namer_new(res) }
func gomlxNodeNamerSetName(namer mlxNodeNamer, a mlxArray, name *cchar) *cchar {
	return C.gomlx_node_namer_set_name(namer, a, name)
}
