package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

// TestMain runs the real main when the test binary is started by
// TestExitStatus, so that test sees os.Exit's statuses.
func TestMain(m *testing.M) {
	if os.Getenv("MLXINFO_TEST_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestText(t *testing.T) {
	code, out, errs := runArgs(t)
	if code != 0 || errs != "" {
		t.Fatalf("run() = %d, stderr %q; want 0 and no stderr", code, errs)
	}
	def := mlx.DefaultDevice()
	s, err := mlx.DefaultStream(def)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"MLX " + mlx.Version() + " (bindings generated for MLX " + mlx.BindingsVersion + ")\n",
		"\nDevices:\n",
		"\n  " + def.String() + " (default)\n",
		"\nDefault device: " + def.String() + "\n",
		"\nDefault stream: " + s.String() + "\n",
		"\nMemory:\n  active  ",
		"\n  peak    ",
		"\n  cache   ",
		"\n  limit   ",
	}
	for _, typ := range []mlx.DeviceType{mlx.CPU, mlx.GPU} {
		if mlx.DeviceCount(typ) == 0 {
			want = append(want, "\n  no "+typ.String()+" devices\n")
		}
		for i := range mlx.DeviceCount(typ) {
			d := mlx.Device{Type: typ, Index: i}
			info, err := d.Info()
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, "\n  "+d.String())
			for _, k := range info.Keys() {
				want = append(want, "\n    "+k+" ")
			}
		}
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestJSON(t *testing.T) {
	code, out, errs := runArgs(t, "-json")
	if code != 0 || errs != "" {
		t.Fatalf("run(-json) = %d, stderr %q; want 0 and no stderr", code, errs)
	}

	// The field names are a stable interface: check them in a generic decode.
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if got, want := keys(doc), []string{"bindings_version", "default_device", "default_stream", "devices", "memory", "version"}; !slices.Equal(got, want) {
		t.Errorf("top-level keys = %v, want %v", got, want)
	}
	if got, want := keys(doc["memory"].(map[string]any)), []string{"active_bytes", "cache_bytes", "limit_bytes", "peak_bytes"}; !slices.Equal(got, want) {
		t.Errorf("memory keys = %v, want %v", got, want)
	}
	devices, ok := doc["devices"].([]any)
	if !ok || len(devices) == 0 {
		t.Fatalf("devices = %v, want a non-empty list", doc["devices"])
	}
	for _, d := range devices {
		if got, want := keys(d.(map[string]any)), []string{"default", "index", "info", "type"}; !slices.Equal(got, want) {
			t.Errorf("device keys = %v, want %v", got, want)
		}
	}

	// The values match what the package reports.
	var r Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	if r.Version != mlx.Version() || r.BindingsVersion != mlx.BindingsVersion {
		t.Errorf("versions = %q, %q; want %q, %q", r.Version, r.BindingsVersion, mlx.Version(), mlx.BindingsVersion)
	}
	def := mlx.DefaultDevice()
	if want := (DeviceID{Type: def.Type.String(), Index: def.Index}); r.DefaultDevice != want {
		t.Errorf("default_device = %+v, want %+v", r.DefaultDevice, want)
	}
	if s, err := mlx.DefaultStream(def); err != nil {
		t.Fatal(err)
	} else if want := (StreamID{Device: DeviceID{Type: s.Device.Type.String(), Index: s.Device.Index}, Index: s.Index}); r.DefaultStream != want {
		t.Errorf("default_stream = %+v, want %+v", r.DefaultStream, want)
	}
	if n := mlx.DeviceCount(mlx.CPU) + mlx.DeviceCount(mlx.GPU); len(r.Devices) != n {
		t.Errorf("%d devices, want %d", len(r.Devices), n)
	}
	defaults := 0
	for _, d := range r.Devices {
		dev := mlx.Device{Type: deviceType(d.Type), Index: d.Index}
		info, err := dev.Info()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.Info.Keys(), info.Keys(); !slices.Equal(got, want) {
			t.Errorf("%v: info keys %v, want %v", dev, got, want)
		}
		for k, v := range info {
			if s, ok := v.(string); ok && d.Info[k] != s {
				t.Errorf("%v: info[%q] = %v, want %q", dev, k, d.Info[k], s)
			}
		}
		if d.Default {
			defaults++
			if dev != def {
				t.Errorf("%v marked default, want %v", dev, def)
			}
		}
	}
	if defaults != 1 {
		t.Errorf("%d devices marked default, want 1", defaults)
	}
	if limit, err := mlx.MemoryLimit(); err != nil {
		t.Fatal(err)
	} else if r.Memory.Limit != limit {
		t.Errorf("limit_bytes = %d, want %d", r.Memory.Limit, limit)
	}
	if r.Memory.Active < 0 || r.Memory.Peak < r.Memory.Active || r.Memory.Cache < 0 {
		t.Errorf("memory figures %+v: want 0 <= active <= peak, cache >= 0", r.Memory)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-bogus"},
		{"extra"},
		{"-json", "extra"},
		{"-json=maybe"},
		{"--", "x"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errs := runArgs(t, args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if !strings.Contains(errs, "usage: mlxinfo [-json]") {
				t.Errorf("stderr lacks the usage text:\n%s", errs)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	code, out, errs := runArgs(t, "-h")
	if code != 0 || out != "" || !strings.HasPrefix(errs, "usage: mlxinfo [-json]\n") || !strings.Contains(errs, "-json") {
		t.Errorf("run(-h) = %d, stdout %q, stderr %q; want 0, nothing, the usage text", code, out, errs)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	for _, args := range [][]string{nil, {"-json"}} {
		var errb bytes.Buffer
		if code := run(args, failWriter{}, &errb); code != 1 {
			t.Errorf("run(%q) writing to a failing writer = %d, want 1", args, code)
		}
		if got, want := errb.String(), "mlxinfo: disk full\n"; got != want {
			t.Errorf("stderr = %q, want %q", got, want)
		}
	}
}

// TestExitStatus runs the real main in a child process: os.Exit must carry
// run's status.
func TestExitStatus(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"-json"}, 0},
		{[]string{"-bogus"}, 2},
	} {
		cmd := exec.Command(os.Args[0], tt.args...)
		cmd.Env = append(os.Environ(), "MLXINFO_TEST_MAIN=1")
		out, err := cmd.Output()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.want {
			t.Errorf("mlxinfo %q exited %d, want %d", tt.args, code, tt.want)
		}
		if tt.want == 0 && !json.Valid(out) {
			t.Errorf("mlxinfo %q printed invalid JSON:\n%s", tt.args, out)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{1 << 20, "1.0 MiB"},
		{20221208166, "18.8 GiB"},
		{1 << 40, "1.0 TiB"},
	} {
		if got := humanBytes(tt.n); got != tt.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
