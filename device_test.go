package mlx_test

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mlx-go/mlx"
)

var (
	cpu0 = mlx.Device{Type: mlx.CPU, Index: 0}
	cpu1 = mlx.Device{Type: mlx.CPU, Index: 1}
	gpu0 = mlx.Device{Type: mlx.GPU, Index: 0}
)

// requireNoGPU skips tests that check how the package behaves where MLX has
// no GPU backend (Linux CPU builds, such as this project's CI).
func requireNoGPU(t *testing.T) {
	t.Helper()
	if n := mlx.DeviceCount(mlx.GPU); n > 0 {
		t.Skipf("this MLX has %d GPU(s); the test is for an MLX without a GPU backend", n)
	}
}

func TestDeviceString(t *testing.T) {
	tests := []struct {
		d    mlx.Device
		want string
	}{
		{cpu0, "Device(cpu, 0)"},
		{mlx.Device{Type: mlx.CPU}, "Device(cpu, 0)"},
		{mlx.Device{Type: mlx.GPU, Index: 1}, "Device(gpu, 1)"},
		{mlx.Device{Type: mlx.DeviceType(7), Index: 2}, "Device(DeviceType(7), 2)"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
	types := []struct {
		t    mlx.DeviceType
		want string
	}{
		{mlx.CPU, "cpu"}, {mlx.GPU, "gpu"}, {mlx.DeviceType(-1), "DeviceType(-1)"},
	}
	for _, tt := range types {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("DeviceType(%d).String() = %q, want %q", int(tt.t), got, tt.want)
		}
	}
}

func TestDeviceEquality(t *testing.T) {
	if cpu0 != (mlx.Device{Type: mlx.CPU}) {
		t.Error("Device(cpu, 0) != Device{Type: CPU}")
	}
	if cpu0 == gpu0 || cpu0 == cpu1 {
		t.Error("devices of a different type or index compare equal")
	}
	seen := map[mlx.Device]int{cpu0: 1, gpu0: 2}
	if seen[mlx.Device{Type: mlx.CPU}] != 1 || seen[mlx.Device{Type: mlx.GPU}] != 2 {
		t.Error("devices do not work as map keys")
	}
}

func TestDeviceCount(t *testing.T) {
	if got := mlx.DeviceCount(mlx.CPU); got != 1 {
		t.Errorf("DeviceCount(CPU) = %d, want 1", got)
	}
	if got := mlx.DeviceCount(mlx.DeviceType(5)); got != 0 {
		t.Errorf("DeviceCount(DeviceType(5)) = %d, want 0", got)
	}
	requireNoGPU(t)
	if got := mlx.DeviceCount(mlx.GPU); got != 0 {
		t.Errorf("DeviceCount(GPU) = %d, want 0", got)
	}
}

func TestDeviceIsAvailable(t *testing.T) {
	tests := []struct {
		d    mlx.Device
		want bool
	}{
		{cpu0, true},
		{cpu1, false},
		{mlx.Device{Type: mlx.CPU, Index: -1}, false},
		{mlx.Device{Type: mlx.CPU, Index: 1 << 20}, false},
		{mlx.Device{Type: mlx.DeviceType(3)}, false},
	}
	if mlx.DeviceCount(mlx.GPU) == 0 {
		tests = append(tests, struct {
			d    mlx.Device
			want bool
		}{gpu0, false})
	}
	for _, tt := range tests {
		if got := tt.d.IsAvailable(); got != tt.want {
			t.Errorf("%v.IsAvailable() = %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestDeviceInfo(t *testing.T) {
	info, err := cpu0.Info()
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	for _, key := range []string{"device_name", "architecture"} {
		s, ok := info.String(key)
		if !ok || s == "" {
			t.Errorf("info[%q] = %#v, want a non-empty string", key, info[key])
		}
		if _, ok := info.Size(key); ok {
			t.Errorf("Size(%q) reports a size for a string value", key)
		}
	}
	if _, ok := info.String("no such key"); ok {
		t.Error(`String("no such key") = ok`)
	}
	if _, ok := info.Size("no such key"); ok {
		t.Error(`Size("no such key") = ok`)
	}
	keys := info.Keys()
	if len(keys) != len(info) || !sort.StringsAreSorted(keys) {
		t.Errorf("Keys() = %v: want every key of %v, sorted", keys, info)
	}
	for _, k := range keys {
		switch info[k].(type) {
		case string, uint64:
		default:
			t.Errorf("info[%q] is a %T, want string or uint64", k, info[k])
		}
	}
	// Asking twice gives the same answer.
	again, err := mlx.Device{Type: mlx.CPU}.Info()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(info, again); diff != "" {
		t.Errorf("second Info differs (-first +second):\n%s", diff)
	}
}

func TestDeviceInfoErrors(t *testing.T) {
	tests := []struct {
		d   mlx.Device
		msg string
	}{
		{cpu1, "Device(cpu, 1): device index out of range (1 cpu device(s))"},
		{mlx.Device{Type: mlx.CPU, Index: -1}, "Device(cpu, -1): device index out of range (1 cpu device(s))"},
		{mlx.Device{Type: mlx.DeviceType(9)}, "invalid device type 9"},
	}
	if mlx.DeviceCount(mlx.GPU) == 0 {
		tests = append(tests, struct {
			d   mlx.Device
			msg string
		}{gpu0, "Device(gpu, 0): this MLX has no gpu backend"})
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			info, err := tt.d.Info()
			checkError(t, err, "device_info", tt.msg, mlx.ErrInvalidArgument)
			if info != nil {
				t.Errorf("Info returned %v with its error", info)
			}
		})
	}
}

func TestDefaultDevice(t *testing.T) {
	requireNoGPU(t)
	if got := mlx.DefaultDevice(); got != cpu0 {
		t.Errorf("DefaultDevice() = %v, want %v", got, cpu0)
	}
}

func TestSetDefaultDevice(t *testing.T) {
	requireNoGPU(t)
	before := mlx.DefaultDevice()
	stream, err := mlx.DefaultStream(before)
	if err != nil {
		t.Fatal(err)
	}

	if err := mlx.SetDefaultDevice(cpu0); err != nil {
		t.Fatalf("SetDefaultDevice(%v) = %v", cpu0, err)
	}
	if got := mlx.DefaultDevice(); got != cpu0 {
		t.Errorf("DefaultDevice() = %v after setting %v", got, cpu0)
	}

	tests := []struct {
		d   mlx.Device
		msg string
	}{
		{gpu0, "Device(gpu, 0): this MLX has no gpu backend"},
		{mlx.Device{Type: mlx.GPU, Index: 3}, "Device(gpu, 3): this MLX has no gpu backend"},
		{cpu1, "Device(cpu, 1): device index out of range (1 cpu device(s))"},
		{mlx.Device{Type: mlx.CPU, Index: 64}, "Device(cpu, 64): device index out of range (1 cpu device(s))"},
		{mlx.Device{Type: mlx.DeviceType(2)}, "invalid device type 2"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			checkError(t, mlx.SetDefaultDevice(tt.d), "set_default_device", tt.msg, mlx.ErrInvalidArgument)
			// Nothing changed.
			if got := mlx.DefaultDevice(); got != cpu0 {
				t.Errorf("DefaultDevice() = %v after a failed set, want %v", got, cpu0)
			}
			if got, err := mlx.DefaultStream(cpu0); err != nil || got != stream {
				t.Errorf("DefaultStream(cpu) = %v, %v after a failed set, want %v", got, err, stream)
			}
			checkArray(t, mlx.Add(mlx.Scalar(1), mlx.Scalar(2)), mlx.Int32, nil, []int32{3})
		})
	}
}
