"""NCCL's own all-reduce bandwidth on this machine, through PyTorch, for
comparison with bench/allsum (MLX's AllSum through the Go binding): the same
size, warm-up, barrier before each round and median of the timed rounds.

    python3 bench/allsum/torch_allreduce.py [MiB] [iters] [warmup]

One process per GPU (all visible GPUs); rank 0 prints the median time and
algbw = bytes / time, busbw = algbw * 2(n-1)/n, plus the rate of -iters
back-to-back all-reduces (one synchronize at the end), as nccl-tests time them.
"""
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def worker(rank, n, mib, iters, warmup, port):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.cuda.set_device(rank)
    dist.init_process_group("nccl", rank=rank, world_size=n, device_id=torch.device("cuda", rank))
    elems = mib * (1 << 20) // 4
    x = torch.full((elems,), float(rank + 1), device="cuda")
    tick = torch.ones(1, device="cuda")
    times = []
    for i in range(warmup + iters):
        y = x.clone()
        dist.all_reduce(tick)
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        dist.all_reduce(y)
        torch.cuda.synchronize()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    want = n * (n + 1) / 2
    assert y.min().item() == want and y.max().item() == want, (y.min().item(), y.max().item())
    dist.all_reduce(tick)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(iters):
        dist.all_reduce(x)
    torch.cuda.synchronize()
    loop = (time.perf_counter() - t0) / iters
    if rank == 0:
        b = elems * 4
        med = statistics.median(times)
        factor = 2 * (n - 1) / n
        print(f"torch {torch.__version__} NCCL {'.'.join(map(str, torch.cuda.nccl.version()))}: all_reduce of {mib} MiB float32 "
              f"on {n} GPUs: median {med*1e3:.3f} ms (min {min(times)*1e3:.3f}, max {max(times)*1e3:.3f}) of {iters}; "
              f"algbw {b/med/1e9:.1f} GB/s, busbw {b/med/1e9*factor:.1f} GB/s; back-to-back loop: "
              f"{loop*1e3:.3f} ms each, busbw {b/loop/1e9*factor:.1f} GB/s", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    iters = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    n = torch.cuda.device_count()
    mp.spawn(worker, args=(n, mib, iters, warmup, 29500 + os.getpid() % 1000), nprocs=n)
