package mlx

import "testing"

// TestCommDevice checks where collectives given no stream run: the device of
// MLX's communication_stream for the group's backend.
func TestCommDevice(t *testing.T) {
	for _, v := range []string{"NCCL_HOST_IP", "NCCL_PORT", "MLX_RANK", "MLX_WORLD_SIZE"} {
		t.Setenv(v, "1")
	}
	cuda, _ := CUDAIsAvailable()
	anyDevice := CPU
	if cuda {
		anyDevice = GPU // init("any") tries NCCL first, and NCCL is configured
	}
	for _, c := range []struct {
		backend string
		size    int
		want    *Device
	}{
		{BackendRing, 1, nil},
		{BackendRing, 2, &Device{Type: CPU}},
		{BackendMPI, 4, &Device{Type: CPU}},
		{BackendJACCL, 2, &Device{Type: CPU}},
		{BackendNCCL, 2, &Device{Type: GPU}},
		{BackendAny, 2, &Device{Type: anyDevice}},
		{"", 2, &Device{Type: anyDevice}},
	} {
		got := commDeviceOf(c.backend, c.size)
		if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("commDeviceOf(%q, %d) = %v, want %v", c.backend, c.size, got, c.want)
		}
	}
	t.Setenv("NCCL_PORT", "")
	if got := commDeviceOf(BackendAny, 2); got == nil || got.Type != CPU {
		t.Errorf("commDeviceOf(any, 2) without NCCL_PORT = %v, want the CPU (the ring)", got)
	}
}
