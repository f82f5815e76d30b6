// Command mlxlaunch runs an MLX distributed job on this machine: N processes
// of one program on MLX's ring backend over loopback, or on its NCCL backend
// with one NVIDIA GPU per process.
//
// Usage:
//
//	mlxlaunch [-n N] [-backend ring|nccl] [-gpus LIST] [-timeout D] [-grace D] program [arg ...]
//
// With the ring backend (the default) it picks a free loopback port per
// rank, writes the ring backend's JSON hostfile ([["127.0.0.1:port"], ...],
// one list per rank) to a temporary directory, and starts the processes with
// MLX_RANK, MLX_HOSTFILE and MLX_WORLD_SIZE set (with -n 1, no hostfile: the
// program runs alone). With -backend nccl it sets MLX_RANK, MLX_WORLD_SIZE,
// NCCL_HOST_IP=127.0.0.1 and a free NCCL_PORT, and gives rank r the GPU
// r mod len(LIST) of -gpus (a comma-separated list of CUDA device numbers;
// by default CUDA_VISIBLE_DEVICES's, or every GPU of the machine) as its only
// visible device.
//
// Each line a process prints is copied to mlxlaunch's stdout or stderr
// prefixed with "[rank] ". When a process fails, the others get -grace to end by
// themselves (a program using mlx.Group.Eval reports a lost peer), then are
// killed; at -timeout every process still running is killed.
//
// Exit status: 0 when every process exits with status 0; 1 when one fails,
// a timeout passes or the job cannot start (the reason is printed); 2 for a
// usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mlx-go/mlx/internal/launch"
)

// Exit statuses, as Go's own tools use them.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mlxlaunch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 2, "number of processes")
	backend := fs.String("backend", launch.Ring, "distributed backend: ring or nccl")
	gpuList := fs.String("gpus", "", "with -backend nccl: comma-separated CUDA devices, one per rank in turn (default: CUDA_VISIBLE_DEVICES's, or every GPU)")
	timeout := fs.Duration("timeout", 0, "kill the job after this long (0: no limit)")
	grace := fs.Duration("grace", launch.DefaultGrace, "after a process fails, how long the others may run on before they are killed")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: mlxlaunch [-n N] [-backend ring|nccl] [-gpus LIST] [-timeout D] [-grace D] program [arg ...]\n\n"+
			"mlxlaunch runs N processes of program as one MLX distributed job on the\n"+
			"ring backend over loopback (or NCCL, one GPU each), prefixing their output\n"+
			"with their rank.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "mlxlaunch: no program given")
		fs.Usage()
		return exitUsage
	}
	if *n < 1 || *timeout < 0 || *grace < 0 {
		fmt.Fprintf(stderr, "mlxlaunch: -n must be at least 1 and durations not negative (got -n %d -timeout %v -grace %v)\n", *n, *timeout, *grace)
		return exitUsage
	}
	if *backend != launch.Ring && *backend != launch.NCCL {
		fmt.Fprintf(stderr, "mlxlaunch: -backend must be ring or nccl (got %q)\n", *backend)
		return exitUsage
	}
	var gpus []string
	for _, d := range strings.Split(*gpuList, ",") {
		if d = strings.TrimSpace(d); d != "" {
			gpus = append(gpus, d)
		}
	}
	g := *grace
	if g == 0 {
		g = time.Nanosecond // no grace: kill at once
	}
	_, err := launch.Run(ctx, launch.Options{N: *n, Backend: *backend, GPUs: gpus, Timeout: *timeout, Grace: g, Stdout: stdout, Stderr: stderr},
		fs.Arg(0), fs.Args()[1:]...)
	if err != nil {
		fmt.Fprintln(stderr, "mlxlaunch:", err)
		return exitError
	}
	return exitOK
}
