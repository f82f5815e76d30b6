package mlx_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlx-go/mlx"
)

func TestStreamFree(t *testing.T) {
	s, err := mlx.NewStream(mlx.Device{Type: mlx.CPU})
	if err != nil {
		t.Fatal(err)
	}
	x := mlx.AddOn(s, mlx.Scalar[float32](1), mlx.Scalar[float32](2))
	if err := s.Free(); err != nil {
		t.Fatal(err)
	}
	if err := s.Free(); err != nil { // idempotent
		t.Fatalf("second Free: %v", err)
	}
	// Work enqueued before Free finishes normally.
	if v, err := mlx.Item[float32](x); err != nil || v != 3 {
		t.Fatalf("work from before Free: %v, %v", v, err)
	}
	copyOfS := s
	checks := map[string]error{
		"op":          mlx.AddOn(copyOfS, mlx.Scalar[float32](1), mlx.Scalar[float32](2)).Err(),
		"synchronize": s.Synchronize(),
		"set default": mlx.SetDefaultStream(s),
		"with stream": mlx.WithStream(s, func() error { return nil }),
	}
	for what, err := range checks {
		var e *mlx.Error
		if !errors.Is(err, mlx.ErrFreed) || !errors.As(err, &e) || !strings.Contains(err.Error(), "used after Free") {
			t.Errorf("%s on a freed stream: %v, want ErrFreed", what, err)
		}
	}
	// The stream's device keeps working.
	if v, err := mlx.Item[float32](mlx.AddOn(mlx.CPU, mlx.Scalar[float32](2), mlx.Scalar[float32](2))); err != nil || v != 4 {
		t.Fatalf("after Free: %v, %v", v, err)
	}
}

func TestStreamFreeRefusesTheDefaultStream(t *testing.T) {
	d := mlx.Device{Type: mlx.CPU}
	def, err := mlx.DefaultStream(d)
	if err != nil {
		t.Fatal(err)
	}
	err = def.Free()
	if !errors.Is(err, mlx.ErrInvalidArgument) || !strings.Contains(err.Error(), "is the default stream of Device(cpu, 0)") {
		t.Fatalf("Free of the default stream: %v", err)
	}
	if v, err := mlx.Item[float32](mlx.AddOn(def, mlx.Scalar[float32](1), mlx.Scalar[float32](1))); err != nil || v != 2 {
		t.Fatalf("default stream after a refused Free: %v, %v", v, err)
	}
	// A stream made default and then replaced can be freed.
	s, err := mlx.NewStream(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := mlx.SetDefaultStream(s); err != nil {
		t.Fatal(err)
	}
	if err := s.Free(); !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Fatalf("Free of the current default: %v", err)
	}
	if err := mlx.SetDefaultStream(def); err != nil {
		t.Fatal(err)
	}
	if err := s.Free(); err != nil {
		t.Fatalf("Free after the default moved: %v", err)
	}
}
