/* A header written for the generator's tests, in the style of mlx-c. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * \defgroup widgets Widgets
 * Things that widgets do.
 */
/**@{*/

typedef struct mlx_widget_ {
  void* ctx;
} mlx_widget;

typedef enum mlx_color_ { MLX_RED, MLX_GREEN = 3, MLX_BLUE } mlx_color;

static mlx_widget mlx_widget_empty;

typedef void (*mlx_widget_callback)(const char* msg, void* data);

/**
 * Adds two arrays.
 */
int mlx_add(mlx_array* res, const mlx_array a, const mlx_array b, const mlx_stream s);
int mlx_sum(mlx_array* res, const mlx_array a, bool keepdims, const mlx_stream s);
int mlx_sum_axes(
    mlx_array* res,
    const mlx_array a,
    const int* axes,
    size_t axes_num,
    bool keepdims,
    const mlx_stream s);
int mlx_maybe(mlx_array* res, const mlx_array a /* may be null */, const mlx_stream s);
int mlx_hook(void (*dtor)(void*), void* data);
int mlx_distributed_all_sum(
    mlx_array* res,
    const mlx_array x,
    const mlx_distributed_group group /* may be null */,
    const mlx_stream s);
size_t mlx_count(void);

#ifdef HAS_WIDE
int mlx_wide(float16_t* res, const mlx_array a);
#endif

/**@}*/

#ifdef __cplusplus
}
#endif

#endif
