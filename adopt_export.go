package mlx

// This file holds the //export of FromSliceNoCopy's release callback (a file
// with //export may only declare C functions in its preamble).

func releaseAdopted(h cuintptr) {
	handle(h).Value().(*adoptedSlice).done()
}
