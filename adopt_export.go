package mlx

// FromSliceNoCopy's release callback: exported in the cgo build
// (adopt_export_cgo.go), a purego callback in the purego build.

func releaseAdopted(h cuintptr) {
	handle(h).Value().(*adoptedSlice).done()
}
