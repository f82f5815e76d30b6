package mlx_test

// Tests of the generated wrappers of mlx-c's linalg.h (linalg_gen.go).
// MLX runs linear algebra on the CPU only, so every call names the CPU (a
// new stream or the device): the tests also pass where the default device is
// a GPU. Results are checked against references computed here (Cholesky,
// Gaussian elimination, closed forms for 2×2 cases) and against exact
// identities (inv(a)·a = I, q·r = a, u·diag(s)·vt = a, a·v = λ·v, ...).
//
// Factorizations of singular or indefinite matrices are not tried: MLX
// raises those errors inside its CPU worker thread, where they abort the
// process instead of returning an error.

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"
	"testing"

	"github.com/mlx-go/mlx"
)

// gtLinalgTargets are the CPU places the linalg rows run on.
func gtLinalgTargets(t *testing.T) []mlx.StreamOrDevice {
	return []mlx.StreamOrDevice{gtStream(t), mlx.CPU, mlx.Device{Type: mlx.CPU}}
}

func gtEye(n int) []float64 {
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		out[i*n+i] = 1
	}
	return out
}

// gtCholesky returns the lower factor L of an SPD matrix, a = L Lᵀ.
func gtCholesky(a []float64, n int) []float64 {
	l := make([]float64, n*n)
	for j := 0; j < n; j++ {
		s := a[j*n+j]
		for k := 0; k < j; k++ {
			s -= l[j*n+k] * l[j*n+k]
		}
		l[j*n+j] = math.Sqrt(s)
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= l[i*n+k] * l[j*n+k]
			}
			l[i*n+j] = s / l[j*n+j]
		}
	}
	return l
}

// gtSolve solves a x = b (b is n×m) by Gaussian elimination with partial
// pivoting.
func gtSolve(a []float64, n int, b []float64, m int) []float64 {
	A := append([]float64(nil), a...)
	B := append([]float64(nil), b...)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(A[r*n+c]) > math.Abs(A[p*n+c]) {
				p = r
			}
		}
		for k := 0; k < n; k++ {
			A[c*n+k], A[p*n+k] = A[p*n+k], A[c*n+k]
		}
		for k := 0; k < m; k++ {
			B[c*m+k], B[p*m+k] = B[p*m+k], B[c*m+k]
		}
		for r := c + 1; r < n; r++ {
			f := A[r*n+c] / A[c*n+c]
			for k := c; k < n; k++ {
				A[r*n+k] -= f * A[c*n+k]
			}
			for k := 0; k < m; k++ {
				B[r*m+k] -= f * B[c*m+k]
			}
		}
	}
	x := make([]float64, n*m)
	for k := 0; k < m; k++ {
		for r := n - 1; r >= 0; r-- {
			s := B[r*m+k]
			for c := r + 1; c < n; c++ {
				s -= A[r*n+c] * x[c*m+k]
			}
			x[r*m+k] = s / A[r*n+r]
		}
	}
	return x
}

func gtDet3(a []float64) float64 {
	return a[0]*(a[4]*a[8]-a[5]*a[7]) - a[1]*(a[3]*a[8]-a[5]*a[6]) + a[2]*(a[3]*a[7]-a[4]*a[6])
}

var (
	// An SPD matrix, a general invertible one and an upper triangular one.
	gtSPD   = []float64{4, 1, 2, 1, 5, 3, 2, 3, 6}
	gtGen   = []float64{2, -1, 0.5, 1, 3, 1, 0, 2, 4}
	gtUpper = []float64{1, 2, 3, 0, 4, 5, 0, 0, 6}
)

func TestGenLinalgFactorizations(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	for i, on := range gtLinalgTargets(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			// cholesky, lower and upper.
			L := gtCholesky(gtSPD, 3)
			gtCheck(t, "cholesky", mlx.LinalgCholeskyOn(on, gtF32(gtSPD, 3, 3), false), mlx.Float32, []int{3, 3}, L, 1e-5)
			gtCheck(t, "cholesky upper", mlx.LinalgCholeskyOn(on, gtF32(gtSPD, 3, 3), true), mlx.Float32, []int{3, 3}, gtTransposeM(L, 3, 3), 1e-5)
			// cholesky_inv takes the factor and returns the inverse of a.
			ci := mlx.LinalgCholeskyInvOn(on, gtF32(L, 3, 3), false)
			gtCheck(t, "cholesky_inv·a", mlx.Matmul(ci, gtF32(gtSPD, 3, 3)), mlx.Float32, []int{3, 3}, gtEye(3), 1e-5)
			ciu := mlx.LinalgCholeskyInvOn(on, gtF32(gtTransposeM(L, 3, 3), 3, 3), true)
			gtCheck(t, "cholesky_inv upper", ciu, mlx.Float32, []int{3, 3}, gtSolve(gtSPD, 3, gtEye(3), 3), 1e-5)

			// qr: q·r = a, qᵀq = I, r upper triangular.
			q, r := mlx.LinalgQROn(on, gtF32(gtGen, 3, 3))
			gtCheck(t, "q·r", mlx.Matmul(q, r), mlx.Float32, []int{3, 3}, gtGen, 1e-5)
			gtCheck(t, "qᵀq", mlx.Matmul(mlx.Transpose(q), q), mlx.Float32, []int{3, 3}, gtEye(3), 1e-5)
			rv := gtVals(t, r)
			for row := 0; row < 3; row++ {
				for col := 0; col < row; col++ {
					if math.Abs(rv[row*3+col]) > 1e-6 {
						t.Errorf("r is not upper triangular: %v", rv)
					}
				}
			}
			// A tall matrix gives the reduced factors.
			tall := []float64{1, 2, 3, 4, 5, 7}
			q2, r2 := mlx.LinalgQROn(on, gtF32(tall, 3, 2))
			if !gtSameShape(q2.Shape(), []int{3, 2}) || !gtSameShape(r2.Shape(), []int{2, 2}) {
				t.Errorf("qr of 3×2: q %v r %v, want [3 2] [2 2]", q2.Shape(), r2.Shape())
			}
			gtCheck(t, "tall q·r", mlx.Matmul(q2, r2), mlx.Float32, []int{3, 2}, tall, 1e-5)

			// lu: p, l, u with l[p, :] · u = a; l unit lower, u upper.
			plu, err := mlx.LinalgLUOn(on, gtF32(gtGen, 3, 3))
			plu = gtMustArrays(t, "lu", plu, err, 3)
			p := gtVals(t, plu[0])
			if plu[0].Dtype() != mlx.Uint32 || !gtIsPermutation(p, 3) {
				t.Fatalf("lu pivots %v (%v) are not a permutation", p, plu[0].Dtype())
			}
			lv, uv := gtVals(t, plu[1]), gtVals(t, plu[2])
			for i := 0; i < 3; i++ {
				if math.Abs(lv[i*3+i]-1) > 1e-6 {
					t.Errorf("l has diagonal %v, want 1", lv[i*3+i])
				}
				for j := i + 1; j < 3; j++ {
					if lv[i*3+j] != 0 || uv[j*3+i] != 0 {
						t.Errorf("l or u not triangular: l %v u %v", lv, uv)
					}
				}
			}
			lp := make([]float64, 9)
			for i := 0; i < 3; i++ {
				copy(lp[i*3:i*3+3], lv[int(p[i])*3:int(p[i])*3+3])
			}
			gtCloseTo(t, "l[p]·u", gtMatmul(lp, 3, 3, uv, 3), gtGen, 1e-5)

			// lu_factor: packed factors and LAPACK pivots (row i was swapped
			// with row piv[i], in order): the swapped a equals l·u.
			lu, piv := mlx.LinalgLUFactorOn(on, gtF32(gtGen, 3, 3))
			luv, pv := gtVals(t, lu), gtVals(t, piv)
			if piv.Dtype() != mlx.Uint32 || len(pv) != 3 {
				t.Fatalf("lu_factor pivots %v (%v)", pv, piv.Dtype())
			}
			l3, u3 := make([]float64, 9), make([]float64, 9)
			for i := 0; i < 3; i++ {
				for j := 0; j < 3; j++ {
					switch {
					case j < i:
						l3[i*3+j] = luv[i*3+j]
					case j == i:
						l3[i*3+j] = 1
						u3[i*3+j] = luv[i*3+j]
					default:
						u3[i*3+j] = luv[i*3+j]
					}
				}
			}
			pa := append([]float64(nil), gtGen...)
			for i, k := range pv {
				for j := 0; j < 3; j++ {
					pa[i*3+j], pa[int(k)*3+j] = pa[int(k)*3+j], pa[i*3+j]
				}
			}
			gtCloseTo(t, "lu_factor", gtMatmul(l3, 3, 3, u3, 3), pa, 1e-5)
		})
	}
	// A rectangular lu: l is 3×2, u 2×2.
	plu, err := mlx.LinalgLUOn(mlx.CPU, gtF32([]float64{1, 2, 3, 4, 5, 7}, 3, 2))
	plu = gtMustArrays(t, "lu 3×2", plu, err, 3)
	if !gtSameShape(plu[1].Shape(), []int{3, 2}) || !gtSameShape(plu[2].Shape(), []int{2, 2}) {
		t.Errorf("lu of 3×2: l %v u %v, want [3 2] [2 2]", plu[1].Shape(), plu[2].Shape())
	}
}

func TestGenLinalgSolveInvert(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	for i, on := range gtLinalgTargets(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			inv := gtSolve(gtGen, 3, gtEye(3), 3)
			gtCheck(t, "inv", mlx.LinalgInvOn(on, gtF32(gtGen, 3, 3)), mlx.Float32, []int{3, 3}, inv, 1e-5)
			gtCheck(t, "inv·a", mlx.Matmul(mlx.LinalgInvOn(on, gtF32(gtGen, 3, 3)), gtF32(gtGen, 3, 3)), mlx.Float32, []int{3, 3}, gtEye(3), 1e-5)
			// float64 is supported by the CPU backend.
			a64 := mlx.FromSlice(gtGen, 3, 3)
			gtCheck(t, "inv float64", mlx.LinalgInvOn(on, a64), mlx.Float64, []int{3, 3}, inv, 1e-12)

			b := []float64{1, 2, 3, -1, 0.5, 4}
			gtCheck(t, "solve", mlx.LinalgSolveOn(on, gtF32(gtGen, 3, 3), gtF32(b, 3, 2)), mlx.Float32, []int{3, 2}, gtSolve(gtGen, 3, b, 2), 1e-5)
			gtCheck(t, "solve vector", mlx.LinalgSolveOn(on, gtF32(gtGen, 3, 3), gtF32(b[:3])), mlx.Float32, []int{3}, gtSolve(gtGen, 3, b[:3], 1), 1e-5)

			gtCheck(t, "solve_triangular upper", mlx.LinalgSolveTriangularOn(on, gtF32(gtUpper, 3, 3), gtF32(b, 3, 2), true), mlx.Float32, []int{3, 2}, gtSolve(gtUpper, 3, b, 2), 1e-5)
			lower := gtTransposeM(gtUpper, 3, 3)
			gtCheck(t, "solve_triangular lower", mlx.LinalgSolveTriangularOn(on, gtF32(lower, 3, 3), gtF32(b, 3, 2), false), mlx.Float32, []int{3, 2}, gtSolve(lower, 3, b, 2), 1e-5)

			gtCheck(t, "tri_inv upper", mlx.LinalgTriInvOn(on, gtF32(gtUpper, 3, 3), true), mlx.Float32, []int{3, 3}, gtSolve(gtUpper, 3, gtEye(3), 3), 1e-5)
			gtCheck(t, "tri_inv lower", mlx.LinalgTriInvOn(on, gtF32([]float64{2, 0, 1, 4}, 2, 2), false), mlx.Float32, []int{2, 2}, []float64{0.5, 0, -0.125, 0.25}, 1e-6)

			// pinv of a full-column-rank 3×2 matrix is (aᵀa)⁻¹aᵀ; of an
			// invertible one, the inverse.
			tall := []float64{1, 2, 3, 4, 5, 7}
			at := gtTransposeM(tall, 3, 2)
			ata := gtMatmul(at, 2, 3, tall, 2)
			gtCheck(t, "pinv", mlx.LinalgPinvOn(on, gtF32(tall, 3, 2)), mlx.Float32, []int{2, 3}, gtSolve(ata, 2, at, 3), 1e-4)
			gtCheck(t, "pinv square", mlx.LinalgPinvOn(on, gtF32(gtGen, 3, 3)), mlx.Float32, []int{3, 3}, inv, 1e-4)
		})
	}
}

func TestGenLinalgSpectral(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	s := gtStream(t)
	// eigh of the SPD matrix: a·v = v·diag(w), vᵀv = I, w ascending, sum w
	// = trace, prod w = det.
	for _, uplo := range []string{"L", "U"} {
		w, v := mlx.LinalgEighOn(s, gtF32(gtSPD, 3, 3), uplo)
		wv := gtVals(t, w)
		if !sort.Float64sAreSorted(wv) {
			t.Errorf("eigh %s: eigenvalues %v not ascending", uplo, wv)
		}
		gtCloseTo(t, "eigh trace", []float64{gtSum(wv)}, []float64{15}, 1e-5)
		gtCloseTo(t, "eigh det", []float64{wv[0] * wv[1] * wv[2]}, []float64{gtDet3(gtSPD)}, 1e-5)
		gtCheck(t, "eigh vᵀv", mlx.Matmul(mlx.Transpose(v), v), mlx.Float32, []int{3, 3}, gtEye(3), 1e-5)
		// a·v against v·diag(w), both products done here in Go.
		vv := gtVals(t, v)
		vw := make([]float64, 9)
		for i := range vw {
			vw[i] = vv[i] * wv[i%3]
		}
		gtCloseTo(t, "eigh a·v", gtMatmul(gtSPD, 3, 3, vv, 3), vw, 1e-5)
		gtCheck(t, "eigvalsh", mlx.LinalgEigvalshOn(mlx.CPU, gtF32(gtSPD, 3, 3), uplo), mlx.Float32, []int{3}, wv, 1e-5)
	}
	// Closed form for [[2, 1], [1, 2]]: 1 and 3. (Only symmetric inputs are
	// used: MLX 0.31.2 hands its row-major matrix to column-major LAPACK
	// with uplo unchanged, so "U" reads the lower triangle and "L" the
	// upper one, unlike NumPy.)
	gtCheck(t, "eigvalsh 2×2", mlx.LinalgEigvalshOn(s, gtF32([]float64{2, 1, 1, 2}, 2, 2), "U"), mlx.Float32, []int{2}, []float64{1, 3}, 1e-6)

	// eig of a triangular matrix: its diagonal; a·v = v·diag(w).
	w, v := mlx.LinalgEigOn(mlx.CPU, gtF32(gtUpper, 3, 3))
	wc := gtComplex(t, w)
	got := []float64{real(wc[0]), real(wc[1]), real(wc[2])}
	sort.Float64s(got)
	gtCloseTo(t, "eig triangular", got, []float64{1, 4, 6}, 1e-5)
	checkEig := func(name string, a []float64, n int, w, v *mlx.Array) {
		t.Helper()
		wv, vv := gtComplex(t, w), gtComplex(t, v)
		for k := 0; k < n; k++ {
			for i := 0; i < n; i++ {
				var av complex128
				for j := 0; j < n; j++ {
					av += complex(a[i*n+j], 0) * vv[j*n+k]
				}
				if cmplx.Abs(av-wv[k]*vv[i*n+k]) > 1e-4 {
					t.Fatalf("%s: (a·v)[%d,%d] = %v, λ·v = %v", name, i, k, av, wv[k]*vv[i*n+k])
				}
			}
		}
	}
	checkEig("eig triangular", gtUpper, 3, w, v)
	// A rotation by 90°: eigenvalues ±i.
	rot := []float64{0, -1, 1, 0}
	wr, vr := mlx.LinalgEigOn(s, gtF32(rot, 2, 2))
	checkEig("eig rotation", rot, 2, wr, vr)
	wrv := gtComplex(t, mlx.LinalgEigvalsOn(s, gtF32(rot, 2, 2)))
	if len(wrv) != 2 || cmplx.Abs(wrv[0]*wrv[1]-1) > 1e-6 || cmplx.Abs(wrv[0]+wrv[1]) > 1e-6 || math.Abs(math.Abs(imag(wrv[0]))-1) > 1e-6 {
		t.Errorf("eigvals of a 90° rotation = %v, want ±i", wrv)
	}
	gtCheckComplex(t, "eigvals general", mlx.Sort(mlx.LinalgEigvalsOn(mlx.CPU, gtF32([]float64{2, 0, 0, 3}, 2, 2))), []int{2}, []complex128{2, 3}, 1e-6)

	// svd: u·diag(s)·vt = a, s descending; s² are the eigenvalues of aᵀa
	// (closed form for 2×2).
	tall := []float64{1, 2, 3, 4, 5, 7}
	usv, err := mlx.LinalgSVDOn(s, gtF32(tall, 3, 2), true)
	usv = gtMustArrays(t, "svd", usv, err, 3)
	if !gtSameShape(usv[0].Shape(), []int{3, 3}) || !gtSameShape(usv[1].Shape(), []int{2}) || !gtSameShape(usv[2].Shape(), []int{2, 2}) {
		t.Fatalf("svd shapes %v %v %v", usv[0].Shape(), usv[1].Shape(), usv[2].Shape())
	}
	ata := gtMatmul(gtTransposeM(tall, 3, 2), 2, 3, tall, 2)
	tr, det := ata[0]+ata[3], ata[0]*ata[3]-ata[1]*ata[2]
	l1 := tr/2 + math.Sqrt(tr*tr/4-det)
	l2 := tr/2 - math.Sqrt(tr*tr/4-det)
	sv := []float64{math.Sqrt(l1), math.Sqrt(l2)}
	gtCheck(t, "svd s", usv[1], mlx.Float32, []int{2}, sv, 1e-5)
	u2 := mlx.Slice(usv[0], []int{0, 0}, []int{3, 2}, []int{1, 1})
	gtCheck(t, "u·diag(s)·vt", mlx.Matmul(mlx.Multiply(u2, usv[1]), usv[2]), mlx.Float32, []int{3, 2}, tall, 1e-5)
	gtCheck(t, "uᵀu", mlx.Matmul(mlx.Transpose(usv[0]), usv[0]), mlx.Float32, []int{3, 3}, gtEye(3), 1e-5)
	sOnly, err := mlx.LinalgSVDOn(mlx.CPU, gtF32(tall, 3, 2), false)
	sOnly = gtMustArrays(t, "svd values", sOnly, err, 1)
	gtCheck(t, "svd values", sOnly[0], mlx.Float32, []int{2}, sv, 1e-5)

	// Norms. Vector norms of [3, -4, 0, 12]; matrix norms of a 2×3 matrix.
	vec := gtF32([]float64{3, -4, 0, 12})
	for _, c := range []struct {
		ord  float64
		want float64
	}{
		{2, 13}, {1, 19}, {math.Inf(1), 12}, {math.Inf(-1), 0}, {0, 3}, {3, math.Cbrt(27 + 64 + 1728)},
	} {
		gtCheck(t, fmt.Sprintf("norm ord %v", c.ord), mlx.LinalgNormOn(s, vec, c.ord, []int{0}, false), mlx.Float32, nil, []float64{c.want}, 1e-6)
	}
	m := []float64{1, -2, 3, -4, 5, -6}
	M := gtF32(m, 2, 3)
	// Column sums of |m| are 5, 7, 9; row sums 6, 15.
	for _, c := range []struct {
		ord  float64
		want float64
	}{
		{1, 9}, {-1, 5}, {math.Inf(1), 15}, {math.Inf(-1), 6},
	} {
		gtCheck(t, fmt.Sprintf("matrix norm ord %v", c.ord), mlx.LinalgNormOn(mlx.CPU, M, c.ord, []int{0, 1}, false), mlx.Float32, nil, []float64{c.want}, 1e-6)
	}
	gtCheck(t, "norm keepdims", mlx.LinalgNormOn(s, M, 1, []int{1}, true), mlx.Float32, []int{2, 1}, []float64{6, 15}, 1e-6)
	// The spectral norm (ord 2) is the largest singular value.
	gtCheck(t, "matrix norm ord 2", mlx.LinalgNormOn(s, gtF32(tall, 3, 2), 2, []int{0, 1}, false), mlx.Float32, nil, sv[:1], 1e-5)
	frob := math.Sqrt(1 + 4 + 9 + 16 + 25 + 36)
	gtCheck(t, "norm_l2 all", mlx.LinalgNormL2On(s, M, nil, false), mlx.Float32, nil, []float64{frob}, 1e-6)
	gtCheck(t, "norm_l2 axis", mlx.LinalgNormL2On(mlx.CPU, M, []int{1}, false), mlx.Float32, []int{2}, []float64{math.Sqrt(14), math.Sqrt(77)}, 1e-6)
	// Without axes MLX flattens first, so keepdims keeps one axis (NumPy
	// would keep both).
	gtCheck(t, "norm_l2 keepdims", mlx.LinalgNormL2On(s, M, nil, true), mlx.Float32, []int{1}, []float64{frob}, 1e-6)
	gtCheck(t, "norm_l2 keepdims axes", mlx.LinalgNormL2On(s, M, []int{0, 1}, true), mlx.Float32, []int{1, 1}, []float64{frob}, 1e-6)
	gtCheck(t, "norm fro", mlx.LinalgNormMatrixOn(s, M, "fro", []int{0, 1}, false), mlx.Float32, nil, []float64{frob}, 1e-6)
	gtCheck(t, "norm fro default axes", mlx.LinalgNormMatrixOn(mlx.CPU, M, "fro", nil, false), mlx.Float32, nil, []float64{frob}, 1e-6)
	gtCheck(t, "norm nuc", mlx.LinalgNormMatrixOn(s, gtF32(tall, 3, 2), "nuc", []int{0, 1}, false), mlx.Float32, nil, []float64{sv[0] + sv[1]}, 1e-5)

	// cross products, along the last axis and along axis 0.
	a := []float64{1, 2, 3, -1, 0.5, 2}
	b := []float64{4, -5, 6, 2, 1, -3}
	cross := func(u, v []float64) []float64 {
		return []float64{u[1]*v[2] - u[2]*v[1], u[2]*v[0] - u[0]*v[2], u[0]*v[1] - u[1]*v[0]}
	}
	want := append(cross(a[:3], b[:3]), cross(a[3:], b[3:])...)
	gtCheck(t, "cross", mlx.LinalgCrossOn(s, gtF32(a, 2, 3), gtF32(b, 2, 3), -1), mlx.Float32, []int{2, 3}, want, 1e-6)
	gtCheck(t, "cross axis 0", mlx.LinalgCrossOn(mlx.CPU, gtF32(gtTransposeM(a, 2, 3), 3, 2), gtF32(gtTransposeM(b, 2, 3), 3, 2), 0), mlx.Float32, []int{3, 2}, gtTransposeM(want, 2, 3), 1e-6)
	gtCheck(t, "cross basis", mlx.LinalgCrossOn(s, gtF32([]float64{1, 0, 0}), gtF32([]float64{0, 1, 0}), 0), mlx.Float32, []int{3}, []float64{0, 0, 1}, 0)
	// 2-vectors are taken as 3-vectors with a zero third component.
	gtCheck(t, "cross 2d", mlx.LinalgCrossOn(mlx.CPU, gtF32([]float64{1, 2}), gtF32([]float64{3, 4}), -1), mlx.Float32, []int{3}, []float64{0, 0, -2}, 0)
}

func TestGenLinalgErrors(t *testing.T) {
	s := gtStream(t)
	rect := gtF32([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	gtWantErr(t, mlx.LinalgInvOn(s, rect).Err(), "linalg.inv", "square")
	gtWantErr(t, mlx.LinalgCholeskyOn(s, mlx.FromSlice([]int32{1, 0, 0, 1}, 2, 2), false).Err(), "linalg.cholesky", "float")
	gtWantErr(t, mlx.LinalgCrossOn(s, gtF32([]float64{1, 2, 3, 4}), gtF32([]float64{3, 4, 5, 6}), 0).Err(), "linalg.cross", "size 2 or 3")
	gtWantErr(t, mlx.LinalgCrossOn(s, gtF32([]float64{1, 2, 3}), gtF32([]float64{3, 4, 5}), 1).Err(), "linalg.cross", "axis")
	gtWantErr(t, mlx.LinalgNormMatrixOn(s, rect, "bogus", []int{0, 1}, false).Err(), "linalg.norm", "")
	gtWantErr(t, mlx.LinalgSolveOn(s, rect, gtF32([]float64{1, 2})).Err(), "linalg.solve", "square")
	_, err := mlx.LinalgSVDOn(s, gtF32([]float64{1, 2}), true)
	gtWantErr(t, err, "linalg.svd", "dimensions")
	_, err = mlx.LinalgLUOn(s, nil)
	gtWantErr(t, err, "linalg.lu", "nil array")
	w, v := mlx.LinalgEigOn(mlx.CPU, rect)
	gtWantErr(t, w.Err(), "linalg.eig", "")
	gtWantErr(t, v.Err(), "linalg.eig", "")
	q, r := mlx.LinalgQROn(s, gtF32([]float64{1, 2}))
	gtWantErr(t, q.Err(), "linalg.qr", "")
	gtWantErr(t, r.Err(), "linalg.qr", "")
	gtWantErr(t, mlx.LinalgNormOn(s, mlx.Zeros([]int{2, 2, 2}, mlx.Float32), 2, nil, false).Err(), "linalg.norm", "")
}
