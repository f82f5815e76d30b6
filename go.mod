module github.com/mlx-go/mlx

go 1.24
