package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"-n", "0", "true"}, {"-bogus"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
		if !strings.Contains(errb.String(), "usage: mlxlaunch") && !strings.Contains(errb.String(), "-n must be") {
			t.Errorf("%q: stderr %q", args, errb.String())
		}
	}
}

func TestRunPrefixesAndStatus(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-n", "3", "sh", "-c", `echo "hello $MLX_RANK of $MLX_WORLD_SIZE"`}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for _, want := range []string{"[0] hello 0 of 3\n", "[1] hello 1 of 3\n", "[2] hello 2 of 3\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout %q lacks %q", out.String(), want)
		}
	}
	errb.Reset()
	code = run(context.Background(), []string{"-n", "2", "-grace", "100ms", "sh", "-c", `[ "$MLX_RANK" = 1 ] && exit 7; sleep 30`}, &out, &errb)
	if want := "mlxlaunch: launch: rank 1 exited with status 7; killed rank 0\n"; code != exitError || errb.String() != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, errb.String(), exitError, want)
	}
}

func TestNCCLFlags(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-n", "2", "-backend", "nccl", "-gpus", "5,6", "sh", "-c", `echo "$CUDA_VISIBLE_DEVICES $NCCL_HOST_IP"`}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for _, want := range []string{"[0] 5 127.0.0.1\n", "[1] 6 127.0.0.1\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout %q lacks %q", out.String(), want)
		}
	}
	errb.Reset()
	if code := run(context.Background(), []string{"-backend", "mpi", "true"}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "-backend must be") {
		t.Errorf("-backend mpi: exit %d, stderr %q", code, errb.String())
	}
}
