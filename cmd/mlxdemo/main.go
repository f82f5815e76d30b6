// Command mlxdemo is the first program to run after installing MLX: it prints
// the MLX version, every device with its info, the default device and stream,
// and runs the two-stream example of MLX's devices-and-streams guide.
package main

import (
	"fmt"
	"os"

	"github.com/mlx-go/mlx"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mlxdemo:", err)
		os.Exit(1)
	}
}

func run() error {
	if err := mlx.Check(); err != nil {
		return err
	}
	fmt.Printf("MLX %s (bindings for %s)\n\n", mlx.Version(), mlx.BindingsVersion)

	for _, t := range []mlx.DeviceType{mlx.CPU, mlx.GPU} {
		n := mlx.DeviceCount(t)
		fmt.Printf("%s devices: %d\n", t, n)
		for i := 0; i < n; i++ {
			d := mlx.Device{Type: t, Index: i}
			info, err := d.Info()
			if err != nil {
				return err
			}
			fmt.Printf("  %v\n", d)
			for _, k := range info.Keys() {
				fmt.Printf("    %-28s %v\n", k, info[k])
			}
		}
	}
	dev := mlx.DefaultDevice()
	s, err := mlx.DefaultStream(dev)
	if err != nil {
		return err
	}
	fmt.Printf("\ndefault device: %v\ndefault stream: %v\n\n", dev, s)

	// Two streams on the default device: add on one, multiply on the other.
	s1, err := mlx.NewStream(dev)
	if err != nil {
		return err
	}
	s2, err := mlx.NewStream(dev)
	if err != nil {
		return err
	}
	a := mlx.FromSlice([]float32{1, 2, 3, 4})
	b := mlx.FromSlice([]float32{10, 20, 30, 40})
	sum := mlx.AddOn(s1, a, b)
	prod := mlx.MultiplyOn(s2, a, b)
	if err := mlx.AsyncEval(sum, prod); err != nil {
		return err
	}
	if err := s1.Synchronize(); err != nil {
		return err
	}
	if err := s2.Synchronize(); err != nil {
		return err
	}
	fmt.Printf("on %v: add      = %v\n", s1, sum)
	fmt.Printf("on %v: multiply = %v\n", s2, prod)
	return nil
}
