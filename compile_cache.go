package mlx

// ClearCompileCache empties MLX's compile cache, so every compiled function
// (Compile) traces its Go function again on its next call, and the graphs
// the cache held are released; like MLX's C++ detail::compile_clear_cache.
// Use it when a compiled function's Go code depends on state that changed.
//
// MLX keeps one cache per OS thread, filled on the threads that ran compiled
// functions. ClearCompileCache empties the calling thread's cache at once
// and every other thread's the next time that thread runs a compiled
// function (before it looks in its cache). Inside a transformed function it
// is an error. It wraps mlx_detail_compile_clear_cache.
func ClearCompileCache() error {
	if msg := gomlxCompileCacheClear(); msg != nil {
		return takeError("compile_clear_cache", msg)
	}
	return nil
}
