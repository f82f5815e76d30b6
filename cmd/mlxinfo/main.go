// Command mlxinfo prints what the loaded MLX library offers: its version and
// the version the bindings were generated for, every device with all the keys
// MLX reports about it, the default device and stream, and the allocator's
// memory figures.
//
// Usage:
//
//	mlxinfo [-json]
//
// With -json it prints one JSON object instead of text. Its field names are
// stable:
//
//	{
//	  "version": "0.31.2",                 // MLX loaded at run time
//	  "bindings_version": "0.31.2",        // MLX the bindings were generated for
//	  "devices": [                         // every CPU, then every GPU
//	    {"type": "cpu", "index": 0, "default": true,
//	     "info": {"architecture": "x86_64", "device_name": "..."}}
//	  ],
//	  "default_device": {"type": "cpu", "index": 0},
//	  "default_stream": {"device": {"type": "cpu", "index": 0}, "index": 0},
//	  "memory": {"active_bytes": 0, "peak_bytes": 0, "cache_bytes": 0, "limit_bytes": 0}
//	}
//
// Info values are JSON strings or numbers, as MLX reports them. MLX has no
// getter for its cache or wired limits, so mlxinfo does not print them.
//
// Exit status: 0 on success, 1 if MLX cannot be used or fails, 2 for a usage
// error (an unknown flag or an argument).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/mlx-go/mlx"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses, as Go's own tools use them.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is the whole program: it parses args, writes the report to stdout and
// messages to stderr, and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mlxinfo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "print one JSON object instead of text")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: mlxinfo [-json]\n\n"+
			"mlxinfo prints the MLX version, every device with its info, the default\n"+
			"device and stream, and MLX's memory figures.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK // -h asked for the usage text, which flag printed
		}
		return exitUsage // flag printed the error and the usage text
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mlxinfo: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}

	r, err := collect()
	if err != nil {
		fmt.Fprintln(stderr, "mlxinfo:", err)
		return exitError
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = r.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "mlxinfo:", err)
		return exitError
	}
	return exitOK
}

// Report is everything mlxinfo prints; its JSON form is the -json output.
type Report struct {
	Version         string         `json:"version"`
	BindingsVersion string         `json:"bindings_version"`
	Devices         []DeviceReport `json:"devices"`
	DefaultDevice   DeviceID       `json:"default_device"`
	DefaultStream   StreamID       `json:"default_stream"`
	Memory          Memory         `json:"memory"`
}

// DeviceID names a device.
type DeviceID struct {
	Type  string `json:"type"` // "cpu" or "gpu"
	Index int    `json:"index"`
}

// StreamID names a stream.
type StreamID struct {
	Device DeviceID `json:"device"`
	Index  int      `json:"index"`
}

// DeviceReport is one device and what MLX reports about it.
type DeviceReport struct {
	DeviceID
	Default bool           `json:"default"`
	Info    mlx.DeviceInfo `json:"info"`
}

// Memory holds MLX's allocator figures, in bytes.
type Memory struct {
	Active int `json:"active_bytes"`
	Peak   int `json:"peak_bytes"`
	Cache  int `json:"cache_bytes"`
	Limit  int `json:"limit_bytes"`
}

func deviceID(d mlx.Device) DeviceID { return DeviceID{Type: d.Type.String(), Index: d.Index} }

// collect asks MLX for everything in a Report.
func collect() (*Report, error) {
	if err := mlx.Check(); err != nil {
		return nil, err
	}
	def := mlx.DefaultDevice()
	r := &Report{
		Version:         mlx.Version(),
		BindingsVersion: mlx.BindingsVersion,
		Devices:         []DeviceReport{},
		DefaultDevice:   deviceID(def),
	}
	for _, t := range []mlx.DeviceType{mlx.CPU, mlx.GPU} {
		for i := range mlx.DeviceCount(t) {
			d := mlx.Device{Type: t, Index: i}
			info, err := d.Info()
			if err != nil {
				return nil, err
			}
			r.Devices = append(r.Devices, DeviceReport{DeviceID: deviceID(d), Default: d == def, Info: info})
		}
	}
	s, err := mlx.DefaultStream(def)
	if err != nil {
		return nil, err
	}
	r.DefaultStream = StreamID{Device: deviceID(s.Device), Index: s.Index}
	for _, m := range []struct {
		get func() (int, error)
		dst *int
	}{
		{mlx.ActiveMemory, &r.Memory.Active},
		{mlx.PeakMemory, &r.Memory.Peak},
		{mlx.CacheMemory, &r.Memory.Cache},
		{mlx.MemoryLimit, &r.Memory.Limit},
	} {
		if *m.dst, err = m.get(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// writeText prints r for people.
func (r *Report) writeText(w io.Writer) error {
	p := &printer{w: w}
	p.printf("MLX %s (bindings generated for MLX %s)\n\n", r.Version, r.BindingsVersion)
	p.printf("Devices:\n")
	for _, d := range r.Devices {
		dev := mlx.Device{Type: deviceType(d.Type), Index: d.Index}
		mark := ""
		if d.Default {
			mark = " (default)"
		}
		p.printf("  %v%s\n", dev, mark)
		width := 0
		for k := range d.Info {
			width = max(width, len(k))
		}
		for _, k := range d.Info.Keys() {
			p.printf("    %-*s  %v\n", width, k, d.Info[k])
		}
	}
	for _, t := range []mlx.DeviceType{mlx.CPU, mlx.GPU} {
		if !slices.ContainsFunc(r.Devices, func(d DeviceReport) bool { return d.Type == t.String() }) {
			p.printf("  no %s devices\n", t)
		}
	}
	dev := mlx.Device{Type: deviceType(r.DefaultDevice.Type), Index: r.DefaultDevice.Index}
	p.printf("\nDefault device: %v\n", dev)
	p.printf("Default stream: %v\n\n", mlx.Stream{
		Device: mlx.Device{Type: deviceType(r.DefaultStream.Device.Type), Index: r.DefaultStream.Device.Index},
		Index:  r.DefaultStream.Index,
	})
	p.printf("Memory:\n")
	for _, m := range []struct {
		name  string
		bytes int
	}{
		{"active", r.Memory.Active},
		{"peak", r.Memory.Peak},
		{"cache", r.Memory.Cache},
		{"limit", r.Memory.Limit},
	} {
		p.printf("  %-6s  %d bytes (%s)\n", m.name, m.bytes, humanBytes(m.bytes))
	}
	return p.err
}

func deviceType(s string) mlx.DeviceType {
	if s == mlx.GPU.String() {
		return mlx.GPU
	}
	return mlx.CPU
}

// printer remembers the first write error, so writeText checks once.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// humanBytes formats n bytes with a binary unit: "512 B", "1.5 KiB", "16.0 GiB".
func humanBytes(n int) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := unit, 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
