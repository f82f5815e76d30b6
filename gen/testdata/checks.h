/* A header written for the argument-check tests, in the style of mlx-c. */
#ifndef CHECKS_H
#define CHECKS_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

int mlx_cut(
    mlx_array* res,
    const mlx_array a,
    const int* start,
    size_t start_num,
    const int* strides,
    size_t strides_num,
    const mlx_stream s);
int mlx_pack(
    mlx_vector_array* res,
    const mlx_array w,
    mlx_optional_int group_size,
    int groups,
    const mlx_stream s);
int mlx_deal(mlx_array* res, const mlx_array key, int num, const mlx_stream s);
int mlx_mould(mlx_array* res, const mlx_array a, const int* shape, size_t shape_num, const mlx_stream s);
int mlx_flag(mlx_array* res, const mlx_array a, bool on, const mlx_stream s);

#ifdef __cplusplus
}
#endif

#endif
