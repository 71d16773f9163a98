/**
 * The source of the loop's SIMD matrix products (gemm-simd.ts), in the WebAssembly text format that wat.ts
 * assembles. Each kernel keeps a block of f64x2 accumulators in registers over the whole inner dimension and
 * stores (or adds) it once; rows and columns left over from the blocks take narrower paths, down to one
 * value.
 *
 * `product`: out[r, c] (+)= Σp a[r·aRow + p·aInner] · b[p, c], which with strides is both gemm.ts's
 * matmul (aRow = k, aInner = 1) and matmulTransposeA (aRow = 1, aInner = k). `productTransposeB`: dot
 * products of rows, gemm.ts's matmulTransposeB.
 */
export const GEMM_KERNELS = String.raw`
  (module
    (import "env" "memory" (memory 1))

    ;; out[r, c] (+)= Σp a[r·aRow + p·aInner] · b[p, c] for r < rows, c < columns, p < inner; b and out
    ;; are row-major with columns values a row. Addresses and strides are in bytes. Four rows at a time,
    ;; then one.
    (func $product (export "product")
      (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $out i32)
      (param $rows i32) (param $inner i32) (param $columns i32) (param $accumulate i32)
      (local $row i32)
      (block $done
        (loop $next
          (br_if $done (i32.gt_u (i32.add (local.get $row) (i32.const 4)) (local.get $rows)))
          (call $fourRows
            (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRow)))
            (local.get $aRow)
            (local.get $aInner)
            (local.get $b)
            (i32.add (local.get $out) (i32.mul (local.get $row) (i32.shl (local.get $columns) (i32.const 3))))
            (local.get $inner) (local.get $columns) (local.get $accumulate))
          (local.set $row (i32.add (local.get $row) (i32.const 4)))
          (br $next)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
          (call $oneRow
            (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRow)))
            (local.get $aInner)
            (local.get $b)
            (i32.add (local.get $out) (i32.mul (local.get $row) (i32.shl (local.get $columns) (i32.const 3))))
            (local.get $inner) (local.get $columns) (local.get $accumulate))
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (br $next))))

    ;; Four output rows: blocks of four columns in eight f64x2 accumulators (each b load feeds four rows, each
    ;; a value feeds four columns), then the remaining columns one at a time.
    (func $fourRows
      (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $out i32)
      (param $inner i32) (param $columns i32) (param $accumulate i32)
      (local $rowBytes i32) (local $column i32) (local $end i32) (local $left i32)
      (local $pa i32) (local $pb i32)
      (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
      (local $s v128) (local $b0 v128) (local $b1 v128)
      (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
      (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
      (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 3)))
      (local.set $end (i32.and (local.get $rowBytes) (i32.const -32)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $column) (local.get $end)))
          (local.set $c00 (f64x2.splat (f64.const 0))) (local.set $c01 (f64x2.splat (f64.const 0)))
          (local.set $c10 (f64x2.splat (f64.const 0))) (local.set $c11 (f64x2.splat (f64.const 0)))
          (local.set $c20 (f64x2.splat (f64.const 0))) (local.set $c21 (f64x2.splat (f64.const 0)))
          (local.set $c30 (f64x2.splat (f64.const 0))) (local.set $c31 (f64x2.splat (f64.const 0)))
          (local.set $pa (local.get $a))
          (local.set $pb (i32.add (local.get $b) (local.get $column)))
          (local.set $left (local.get $inner))
          (block $sumsDone
            (loop $sum
              (br_if $sumsDone (i32.eqz (local.get $left)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $s (f64x2.splat (f64.load (local.get $pa))))
              (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $s) (local.get $b0))))
              (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $s) (local.get $b1))))
              (local.set $s (f64x2.splat (f64.load (i32.add (local.get $pa) (local.get $aRow)))))
              (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $s) (local.get $b0))))
              (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $s) (local.get $b1))))
              (local.set $s
                (f64x2.splat (f64.load (i32.add (local.get $pa) (i32.shl (local.get $aRow) (i32.const 1))))))
              (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $s) (local.get $b0))))
              (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $s) (local.get $b1))))
              (local.set $s
                (f64x2.splat (f64.load (i32.add (local.get $pa) (i32.mul (local.get $aRow) (i32.const 3))))))
              (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $s) (local.get $b0))))
              (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $s) (local.get $b1))))
              (local.set $pa (i32.add (local.get $pa) (local.get $aInner)))
              (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
              (local.set $left (i32.sub (local.get $left) (i32.const 1)))
              (br $sum)))
          (local.set $o0 (i32.add (local.get $out) (local.get $column)))
          (local.set $o1 (i32.add (local.get $o0) (local.get $rowBytes)))
          (local.set $o2 (i32.add (local.get $o1) (local.get $rowBytes)))
          (local.set $o3 (i32.add (local.get $o2) (local.get $rowBytes)))
          (if (local.get $accumulate)
            (then
              (local.set $c00 (f64x2.add (local.get $c00) (v128.load (local.get $o0))))
              (local.set $c01 (f64x2.add (local.get $c01) (v128.load offset=16 (local.get $o0))))
              (local.set $c10 (f64x2.add (local.get $c10) (v128.load (local.get $o1))))
              (local.set $c11 (f64x2.add (local.get $c11) (v128.load offset=16 (local.get $o1))))
              (local.set $c20 (f64x2.add (local.get $c20) (v128.load (local.get $o2))))
              (local.set $c21 (f64x2.add (local.get $c21) (v128.load offset=16 (local.get $o2))))
              (local.set $c30 (f64x2.add (local.get $c30) (v128.load (local.get $o3))))
              (local.set $c31 (f64x2.add (local.get $c31) (v128.load offset=16 (local.get $o3))))))
          (v128.store (local.get $o0) (local.get $c00))
          (v128.store offset=16 (local.get $o0) (local.get $c01))
          (v128.store (local.get $o1) (local.get $c10))
          (v128.store offset=16 (local.get $o1) (local.get $c11))
          (v128.store (local.get $o2) (local.get $c20))
          (v128.store offset=16 (local.get $o2) (local.get $c21))
          (v128.store (local.get $o3) (local.get $c30))
          (v128.store offset=16 (local.get $o3) (local.get $c31))
          (local.set $column (i32.add (local.get $column) (i32.const 32)))
          (br $next)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $column) (local.get $rowBytes)))
          (call $single (local.get $a) (local.get $aInner) (i32.add (local.get $b) (local.get $column))
            (i32.add (local.get $out) (local.get $column))
            (local.get $inner) (local.get $rowBytes) (local.get $accumulate))
          (call $single (i32.add (local.get $a) (local.get $aRow)) (local.get $aInner)
            (i32.add (local.get $b) (local.get $column))
            (i32.add (i32.add (local.get $out) (local.get $rowBytes)) (local.get $column))
            (local.get $inner) (local.get $rowBytes) (local.get $accumulate))
          (call $single (i32.add (local.get $a) (i32.shl (local.get $aRow) (i32.const 1))) (local.get $aInner)
            (i32.add (local.get $b) (local.get $column))
            (i32.add (i32.add (local.get $out) (i32.shl (local.get $rowBytes) (i32.const 1)))
              (local.get $column))
            (local.get $inner) (local.get $rowBytes) (local.get $accumulate))
          (call $single (i32.add (local.get $a) (i32.mul (local.get $aRow) (i32.const 3))) (local.get $aInner)
            (i32.add (local.get $b) (local.get $column))
            (i32.add (i32.add (local.get $out) (i32.mul (local.get $rowBytes) (i32.const 3)))
              (local.get $column))
            (local.get $inner) (local.get $rowBytes) (local.get $accumulate))
          (local.set $column (i32.add (local.get $column) (i32.const 8)))
          (br $next))))

    ;; One output row: blocks of four columns in two accumulators, then the remaining columns one at a time.
    (func $oneRow
      (param $a i32) (param $aInner i32) (param $b i32) (param $out i32)
      (param $inner i32) (param $columns i32) (param $accumulate i32)
      (local $rowBytes i32) (local $column i32) (local $end i32) (local $left i32)
      (local $pa i32) (local $pb i32)
      (local $s v128) (local $c0 v128) (local $c1 v128)
      (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 3)))
      (local.set $end (i32.and (local.get $rowBytes) (i32.const -32)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $column) (local.get $end)))
          (local.set $c0 (f64x2.splat (f64.const 0)))
          (local.set $c1 (f64x2.splat (f64.const 0)))
          (local.set $pa (local.get $a))
          (local.set $pb (i32.add (local.get $b) (local.get $column)))
          (local.set $left (local.get $inner))
          (block $sumsDone
            (loop $sum
              (br_if $sumsDone (i32.eqz (local.get $left)))
              (local.set $s (f64x2.splat (f64.load (local.get $pa))))
              (local.set $c0
                (f64x2.add (local.get $c0) (f64x2.mul (local.get $s) (v128.load (local.get $pb)))))
              (local.set $c1
                (f64x2.add (local.get $c1) (f64x2.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
              (local.set $pa (i32.add (local.get $pa) (local.get $aInner)))
              (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
              (local.set $left (i32.sub (local.get $left) (i32.const 1)))
              (br $sum)))
          (if (local.get $accumulate)
            (then
              (local.set $c0
                (f64x2.add (local.get $c0) (v128.load (i32.add (local.get $out) (local.get $column)))))
              (local.set $c1
                (f64x2.add (local.get $c1)
                  (v128.load offset=16 (i32.add (local.get $out) (local.get $column)))))))
          (v128.store (i32.add (local.get $out) (local.get $column)) (local.get $c0))
          (v128.store offset=16 (i32.add (local.get $out) (local.get $column)) (local.get $c1))
          (local.set $column (i32.add (local.get $column) (i32.const 32)))
          (br $next)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $column) (local.get $rowBytes)))
          (call $single (local.get $a) (local.get $aInner) (i32.add (local.get $b) (local.get $column))
            (i32.add (local.get $out) (local.get $column))
            (local.get $inner) (local.get $rowBytes) (local.get $accumulate))
          (local.set $column (i32.add (local.get $column) (i32.const 8)))
          (br $next))))

    ;; One output value: *out (+)= Σp a[p·aInner] · b[p·bRow].
    (func $single
      (param $a i32) (param $aInner i32) (param $b i32) (param $out i32)
      (param $inner i32) (param $bRow i32) (param $accumulate i32)
      (local $sum f64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $inner)))
          (local.set $sum
            (f64.add (local.get $sum) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (local.get $aInner)))
          (local.set $b (i32.add (local.get $b) (local.get $bRow)))
          (local.set $inner (i32.sub (local.get $inner) (i32.const 1)))
          (br $next)))
      (if (local.get $accumulate)
        (then (local.set $sum (f64.add (local.get $sum) (f64.load (local.get $out))))))
      (f64.store (local.get $out) (local.get $sum)))

    ;; out[r, q] (+)= Σj a[r, j] · b[q, j]: a is rows × length, b is count × length, out is rows × count,
    ;; all row-major; addresses in bytes. Two rows of a by four rows of b at a time, two j per f64x2.
    (func $productTransposeB (export "productTransposeB")
      (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $length i32) (param $count i32)
      (param $accumulate i32)
      (local $row i32) (local $q i32) (local $j i32) (local $rowBytes i32) (local $even i32)
      (local $outRow i32) (local $o i32)
      (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
      (local $x0 v128) (local $x1 v128) (local $y v128)
      (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
      (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
      (local.set $rowBytes (i32.shl (local.get $length) (i32.const 3)))
      (local.set $even (i32.and (local.get $rowBytes) (i32.const -16)))
      (local.set $outRow (i32.shl (local.get $count) (i32.const 3)))
      (block $rowsDone
        (loop $nextRows
          (br_if $rowsDone (i32.gt_u (i32.add (local.get $row) (i32.const 2)) (local.get $rows)))
          (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $rowBytes))))
          (local.set $a1 (i32.add (local.get $a0) (local.get $rowBytes)))
          (local.set $o (i32.add (local.get $out) (i32.mul (local.get $row) (local.get $outRow))))
          (local.set $q (i32.const 0))
          (block $blocksDone
            (loop $nextBlock
              (br_if $blocksDone (i32.gt_u (i32.add (local.get $q) (i32.const 4)) (local.get $count)))
              (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $q) (local.get $rowBytes))))
              (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
              (local.set $b2 (i32.add (local.get $b1) (local.get $rowBytes)))
              (local.set $b3 (i32.add (local.get $b2) (local.get $rowBytes)))
              (local.set $c00 (f64x2.splat (f64.const 0))) (local.set $c01 (f64x2.splat (f64.const 0)))
              (local.set $c02 (f64x2.splat (f64.const 0))) (local.set $c03 (f64x2.splat (f64.const 0)))
              (local.set $c10 (f64x2.splat (f64.const 0))) (local.set $c11 (f64x2.splat (f64.const 0)))
              (local.set $c12 (f64x2.splat (f64.const 0))) (local.set $c13 (f64x2.splat (f64.const 0)))
              (local.set $j (i32.const 0))
              (block $sumsDone
                (loop $sum
                  (br_if $sumsDone (i32.ge_u (local.get $j) (local.get $even)))
                  (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $j))))
                  (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $j))))
                  (local.set $y (v128.load (i32.add (local.get $b0) (local.get $j))))
                  (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $y (v128.load (i32.add (local.get $b1) (local.get $j))))
                  (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $y (v128.load (i32.add (local.get $b2) (local.get $j))))
                  (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $y (v128.load (i32.add (local.get $b3) (local.get $j))))
                  (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x0) (local.get $y))))
                  (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x1) (local.get $y))))
                  (local.set $j (i32.add (local.get $j) (i32.const 16)))
                  (br $sum)))
              (call $finish (local.get $c00) (local.get $a0) (local.get $b0) (local.get $even)
                (local.get $rowBytes)
                (local.get $o) (local.get $accumulate))
              (call $finish (local.get $c01) (local.get $a0) (local.get $b1) (local.get $even)
                (local.get $rowBytes)
                (i32.add (local.get $o) (i32.const 8)) (local.get $accumulate))
              (call $finish (local.get $c02) (local.get $a0) (local.get $b2) (local.get $even)
                (local.get $rowBytes)
                (i32.add (local.get $o) (i32.const 16)) (local.get $accumulate))
              (call $finish (local.get $c03) (local.get $a0) (local.get $b3) (local.get $even)
                (local.get $rowBytes)
                (i32.add (local.get $o) (i32.const 24)) (local.get $accumulate))
              (call $finish (local.get $c10) (local.get $a1) (local.get $b0) (local.get $even)
                (local.get $rowBytes)
                (i32.add (local.get $o) (local.get $outRow)) (local.get $accumulate))
              (call $finish (local.get $c11) (local.get $a1) (local.get $b1) (local.get $even)
                (local.get $rowBytes)
                (i32.add (i32.add (local.get $o) (local.get $outRow)) (i32.const 8)) (local.get $accumulate))
              (call $finish (local.get $c12) (local.get $a1) (local.get $b2) (local.get $even)
                (local.get $rowBytes)
                (i32.add (i32.add (local.get $o) (local.get $outRow)) (i32.const 16)) (local.get $accumulate))
              (call $finish (local.get $c13) (local.get $a1) (local.get $b3) (local.get $even)
                (local.get $rowBytes)
                (i32.add (i32.add (local.get $o) (local.get $outRow)) (i32.const 24)) (local.get $accumulate))
              (local.set $o (i32.add (local.get $o) (i32.const 32)))
              (local.set $q (i32.add (local.get $q) (i32.const 4)))
              (br $nextBlock)))
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $q) (local.get $count)))
              (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $q) (local.get $rowBytes))))
              (call $dot (local.get $a0) (local.get $b0) (local.get $even) (local.get $rowBytes)
                (local.get $o) (local.get $accumulate))
              (call $dot (local.get $a1) (local.get $b0) (local.get $even) (local.get $rowBytes)
                (i32.add (local.get $o) (local.get $outRow)) (local.get $accumulate))
              (local.set $o (i32.add (local.get $o) (i32.const 8)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br $next)))
          (local.set $row (i32.add (local.get $row) (i32.const 2)))
          (br $nextRows)))
      (block $rowsDone
        (loop $nextRow
          (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
          (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $rowBytes))))
          (local.set $o (i32.add (local.get $out) (i32.mul (local.get $row) (local.get $outRow))))
          (local.set $q (i32.const 0))
          (block $done
            (loop $next
              (br_if $done (i32.ge_u (local.get $q) (local.get $count)))
              (call $dot (local.get $a0)
                (i32.add (local.get $b) (i32.mul (local.get $q) (local.get $rowBytes)))
                (local.get $even) (local.get $rowBytes) (local.get $o) (local.get $accumulate))
              (local.set $o (i32.add (local.get $o) (i32.const 8)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br $next)))
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (br $nextRow))))

    ;; One dot product of rows a and b of rowBytes bytes, even of them in f64x2 pairs, into *out.
    (func $dot (param $a i32) (param $b i32) (param $even i32) (param $rowBytes i32) (param $out i32)
      (param $accumulate i32)
      (local $j i32) (local $sum v128)
      (local.set $sum (f64x2.splat (f64.const 0)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $j) (local.get $even)))
          (local.set $sum (f64x2.add (local.get $sum)
            (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $j)))
              (v128.load (i32.add (local.get $b) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $next)))
      (call $finish (local.get $sum) (local.get $a) (local.get $b) (local.get $even) (local.get $rowBytes)
        (local.get $out) (local.get $accumulate)))

    ;; Stores (or adds) the two lanes of sum plus, for an odd length, the last product a[j]·b[j].
    (func $finish (param $sum v128) (param $a i32) (param $b i32) (param $even i32) (param $rowBytes i32)
      (param $out i32) (param $accumulate i32)
      (local $total f64)
      (local.set $total
        (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
      (if (i32.ne (local.get $even) (local.get $rowBytes))
        (then
          (local.set $total (f64.add (local.get $total)
            (f64.mul (f64.load (i32.add (local.get $a) (local.get $even)))
              (f64.load (i32.add (local.get $b) (local.get $even))))))))
      (if (local.get $accumulate)
        (then (local.set $total (f64.add (local.get $total) (f64.load (local.get $out))))))
      (f64.store (local.get $out) (local.get $total))))
`;
