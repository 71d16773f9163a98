;; The typed-array loop's matrix products (gemm-simd.ts) on float32 in WebAssembly SIMD (f32x4). Assembled at
;; build time by wabt (scripts/loop-kernels.mjs): the bytes are bundled, never committed. Each kernel keeps a
;; block of accumulators in registers over the whole inner dimension and stores (or adds) it once; rows and
;; columns left over from the blocks take narrower paths, down to one value.
;; A value of a that multiplies a row of b is read with v128.load32_splat (one broadcasting load; f32x4.splat of
;; an f32.load is a load and a shuffle: 5-15 % slower on the CNN's products, bench/conv-products.mjs).
;;
;; `product`: out[r, c] = epilogue(Σp a[r·aRow + p·aInner] · b[p, c]), which with strides is both gemm.ts's
;; matmul (aRow = k, aInner = 1) and matmulTransposeA (aRow = 1, aInner = k). The epilogue `flags` are bits:
;; 1 adds what out held (accumulate), 2 adds bias[c], 4 then takes max(0, ·) (ReLU), so a dense or convolution
;; layer's forward pass is one product. `productTransposeB`: dot products of rows, gemm.ts's matmulTransposeB.
;; Addresses and strides are in bytes; `accumulate` is 0 or 1.
(module
  (import "env" "memory" (memory 1))

  ;; An inner dimension above 512 is summed in chunks of at most 256 values (all but the last of one size),
  ;; each a pass of `rows` over the whole output: a chunk's strips of a and b stay in cache while every block
  ;; of the output reads them, where a kernel gradient's inner dimension (the batch's pixels, tens of
  ;; thousands) would otherwise stream both from memory once per block. The first chunk takes the accumulate
  ;; and bias flags, the later ones add to what it stored, the last applies the ReLU.
  (func $product (export "product")
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $out i32)
    (param $rows i32) (param $inner i32) (param $columns i32) (param $flags i32) (param $bias i32)
    (local $step i32) (local $size i32) (local $chunkFlags i32)
    (if (i32.le_u (local.get $inner) (i32.const 512))
      (then
        (call $rows (local.get $a) (local.get $aRow) (local.get $aInner) (local.get $b) (local.get $out)
          (local.get $rows) (local.get $inner) (local.get $columns) (local.get $flags) (local.get $bias))
        (return)))
    ;; The chunks' size: ceil(inner / chunks), chunks = ceil(inner / 256).
    (local.set $step
      (i32.add (i32.shr_u (i32.sub (local.get $inner) (i32.const 1)) (i32.const 8)) (i32.const 1)))
    (local.set $step (i32.div_u (i32.sub (i32.add (local.get $inner) (local.get $step)) (i32.const 1))
      (local.get $step)))
    (local.set $chunkFlags (i32.and (local.get $flags) (i32.const 3)))
    (loop $next
      (local.set $size (select (local.get $step) (local.get $inner)
        (i32.lt_u (local.get $step) (local.get $inner))))
      (if (i32.eq (local.get $size) (local.get $inner))
        (then (local.set $chunkFlags
          (i32.or (local.get $chunkFlags) (i32.and (local.get $flags) (i32.const 4))))))
      (call $rows (local.get $a) (local.get $aRow) (local.get $aInner) (local.get $b) (local.get $out)
        (local.get $rows) (local.get $size) (local.get $columns) (local.get $chunkFlags) (local.get $bias))
      (local.set $a (i32.add (local.get $a) (i32.mul (local.get $size) (local.get $aInner))))
      (local.set $b (i32.add (local.get $b)
        (i32.mul (local.get $size) (i32.shl (local.get $columns) (i32.const 2)))))
      (local.set $chunkFlags (i32.const 1))
      (local.set $inner (i32.sub (local.get $inner) (local.get $size)))
      (br_if $next (local.get $inner))))

  ;; out = epilogue(a · b) for one chunk of the inner dimension: four rows at a time, then one.
  (func $rows
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $out i32)
    (param $rows i32) (param $inner i32) (param $columns i32) (param $flags i32) (param $bias i32)
    (local $row i32)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $row) (i32.const 4)) (local.get $rows)))
        (call $fourRows
          (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRow)))
          (local.get $aRow)
          (local.get $aInner)
          (local.get $b)
          (i32.add (local.get $out) (i32.mul (local.get $row) (i32.shl (local.get $columns) (i32.const 2))))
          (local.get $inner) (local.get $columns) (local.get $flags) (local.get $bias))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (call $oneRow
          (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $aRow)))
          (local.get $aInner)
          (local.get $b)
          (i32.add (local.get $out) (i32.mul (local.get $row) (i32.shl (local.get $columns) (i32.const 2))))
          (local.get $inner) (local.get $columns) (local.get $flags) (local.get $bias))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next))))

  ;; Four output rows: blocks of eight columns in eight f32x4 accumulators (each b load feeds four rows, each
  ;; a value feeds eight columns), then blocks of four columns, then the last one to three columns as a block of
  ;; four whose extra lanes are not stored (their loads pass the row's end: harmless reads).
  (func $fourRows
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $out i32)
    (param $inner i32) (param $columns i32) (param $flags i32) (param $bias i32)
    (local $rowBytes i32) (local $column i32) (local $end i32) (local $left i32)
    (local $pa i32) (local $pb i32) (local $aRow2 i32) (local $aRow3 i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $s v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $aRow2 (i32.shl (local.get $aRow) (i32.const 1)))
    (local.set $aRow3 (i32.add (local.get $aRow2) (local.get $aRow)))
    (local.set $end (i32.and (local.get $rowBytes) (i32.const -32)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $column) (local.get $end)))
        (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
        (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
        (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
        (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (local.get $column)))
        (local.set $left (local.get $inner))
        (block $sumsDone
          (loop $sum
            (br_if $sumsDone (i32.eqz (local.get $left)))
            (local.set $b0 (v128.load (local.get $pb)))
            (local.set $b1 (v128.load offset=16 (local.get $pb)))
            (local.set $s (v128.load32_splat (local.get $pa)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow2))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow3))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aInner)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
            (local.set $left (i32.sub (local.get $left) (i32.const 1)))
            (br $sum)))
        (local.set $o0 (i32.add (local.get $out) (local.get $column)))
        (local.set $o1 (i32.add (local.get $o0) (local.get $rowBytes)))
        (local.set $o2 (i32.add (local.get $o1) (local.get $rowBytes)))
        (local.set $o3 (i32.add (local.get $o2) (local.get $rowBytes)))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then
            (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $o0))))
            (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $o0))))
            (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $o1))))
            (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $o1))))
            (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $o2))))
            (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $o2))))
            (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $o3))))
            (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $o3))))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then
            (local.set $b0 (v128.load (i32.add (local.get $bias) (local.get $column))))
            (local.set $b1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $column))))
            (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
            (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
            (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0)))
            (local.set $c11 (f32x4.add (local.get $c11) (local.get $b1)))
            (local.set $c20 (f32x4.add (local.get $c20) (local.get $b0)))
            (local.set $c21 (f32x4.add (local.get $c21) (local.get $b1)))
            (local.set $c30 (f32x4.add (local.get $c30) (local.get $b0)))
            (local.set $c31 (f32x4.add (local.get $c31) (local.get $b1)))))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then
            (local.set $b0 (v128.const i64x2 0 0))
            (local.set $c00 (f32x4.max (local.get $c00) (local.get $b0)))
            (local.set $c01 (f32x4.max (local.get $c01) (local.get $b0)))
            (local.set $c10 (f32x4.max (local.get $c10) (local.get $b0)))
            (local.set $c11 (f32x4.max (local.get $c11) (local.get $b0)))
            (local.set $c20 (f32x4.max (local.get $c20) (local.get $b0)))
            (local.set $c21 (f32x4.max (local.get $c21) (local.get $b0)))
            (local.set $c30 (f32x4.max (local.get $c30) (local.get $b0)))
            (local.set $c31 (f32x4.max (local.get $c31) (local.get $b0)))))
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
    (local.set $end (i32.and (local.get $rowBytes) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $column) (local.get $end)))
        (call $fourByFour (local.get $a) (local.get $aRow) (local.get $aInner)
          (i32.add (local.get $b) (local.get $column)) (i32.add (local.get $out) (local.get $column))
          (local.get $inner) (local.get $rowBytes) (local.get $flags)
          (i32.add (local.get $bias) (local.get $column)) (i32.const 4))
        (local.set $column (i32.add (local.get $column) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $column) (local.get $rowBytes))
      (then
        (call $fourByFour (local.get $a) (local.get $aRow) (local.get $aInner)
          (i32.add (local.get $b) (local.get $column)) (i32.add (local.get $out) (local.get $column))
          (local.get $inner) (local.get $rowBytes) (local.get $flags)
          (i32.add (local.get $bias) (local.get $column))
          (i32.shr_u (i32.sub (local.get $rowBytes) (local.get $column)) (i32.const 2))))))

  ;; Four output rows by four columns (at b and out; the first `lanes` of them stored): four f32x4 accumulators.
  (func $fourByFour
    (param $a i32) (param $aRow i32) (param $aInner i32) (param $b i32) (param $out i32)
    (param $inner i32) (param $rowBytes i32) (param $flags i32) (param $bias i32) (param $lanes i32)
    (local $aRow2 i32) (local $aRow3 i32) (local $o i32) (local $v v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $aRow2 (i32.shl (local.get $aRow) (i32.const 1)))
    (local.set $aRow3 (i32.add (local.get $aRow2) (local.get $aRow)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $inner)))
        (local.set $v (v128.load (local.get $b)))
        (local.set $c0 (f32x4.add (local.get $c0)
          (f32x4.mul (v128.load32_splat (local.get $a)) (local.get $v))))
        (local.set $c1 (f32x4.add (local.get $c1)
          (f32x4.mul (v128.load32_splat (i32.add (local.get $a) (local.get $aRow))) (local.get $v))))
        (local.set $c2 (f32x4.add (local.get $c2)
          (f32x4.mul (v128.load32_splat (i32.add (local.get $a) (local.get $aRow2))) (local.get $v))))
        (local.set $c3 (f32x4.add (local.get $c3)
          (f32x4.mul (v128.load32_splat (i32.add (local.get $a) (local.get $aRow3))) (local.get $v))))
        (local.set $a (i32.add (local.get $a) (local.get $aInner)))
        (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
        (local.set $inner (i32.sub (local.get $inner) (i32.const 1)))
        (br $next)))
    (local.set $o (local.get $out))
    (call $put (local.get $o) (local.get $c0) (local.get $flags) (local.get $bias) (local.get $lanes))
    (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
    (call $put (local.get $o) (local.get $c1) (local.get $flags) (local.get $bias) (local.get $lanes))
    (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
    (call $put (local.get $o) (local.get $c2) (local.get $flags) (local.get $bias) (local.get $lanes))
    (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
    (call $put (local.get $o) (local.get $c3) (local.get $flags) (local.get $bias) (local.get $lanes)))

  ;; *out = epilogue(value) (see product) for four columns whose biases are at `bias`, of which the first
  ;; `lanes` (1 to 4) are stored.
  (func $put (param $out i32) (param $value v128) (param $flags i32) (param $bias i32) (param $lanes i32)
    (if (i32.and (local.get $flags) (i32.const 1))
      (then (local.set $value (f32x4.add (local.get $value) (v128.load (local.get $out))))))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then (local.set $value (f32x4.add (local.get $value) (v128.load (local.get $bias))))))
    (if (i32.and (local.get $flags) (i32.const 4))
      (then (local.set $value (f32x4.max (local.get $value) (v128.const i64x2 0 0)))))
    (if (i32.eq (local.get $lanes) (i32.const 4))
      (then (v128.store (local.get $out) (local.get $value)))
      (else
        (f32.store (local.get $out) (f32x4.extract_lane 0 (local.get $value)))
        (if (i32.gt_u (local.get $lanes) (i32.const 1))
          (then (f32.store offset=4 (local.get $out) (f32x4.extract_lane 1 (local.get $value)))))
        (if (i32.gt_u (local.get $lanes) (i32.const 2))
          (then (f32.store offset=8 (local.get $out) (f32x4.extract_lane 2 (local.get $value))))))))

  ;; One output row: blocks of eight columns in two accumulators, then blocks of four in one.
  (func $oneRow
    (param $a i32) (param $aInner i32) (param $b i32) (param $out i32)
    (param $inner i32) (param $columns i32) (param $flags i32) (param $bias i32)
    (local $rowBytes i32) (local $column i32) (local $end i32) (local $left i32)
    (local $pa i32) (local $pb i32)
    (local $s v128) (local $c0 v128) (local $c1 v128)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $end (i32.and (local.get $rowBytes) (i32.const -32)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $column) (local.get $end)))
        (local.set $c0 (v128.const i64x2 0 0))
        (local.set $c1 (v128.const i64x2 0 0))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (local.get $column)))
        (local.set $left (local.get $inner))
        (block $sumsDone
          (loop $sum
            (br_if $sumsDone (i32.eqz (local.get $left)))
            (local.set $s (v128.load32_splat (local.get $pa)))
            (local.set $c0
              (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $pb)))))
            (local.set $c1
              (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aInner)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
            (local.set $left (i32.sub (local.get $left) (i32.const 1)))
            (br $sum)))
        (call $put (i32.add (local.get $out) (local.get $column)) (local.get $c0) (local.get $flags)
          (i32.add (local.get $bias) (local.get $column)) (i32.const 4))
        (call $put (i32.add (i32.add (local.get $out) (local.get $column)) (i32.const 16)) (local.get $c1)
          (local.get $flags) (i32.add (i32.add (local.get $bias) (local.get $column)) (i32.const 16))
          (i32.const 4))
        (local.set $column (i32.add (local.get $column) (i32.const 32)))
        (br $next)))
    ;; Then blocks of four columns, the last one stored in part as in fourRows.
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $column) (local.get $rowBytes)))
        (local.set $c0 (v128.const i64x2 0 0))
        (local.set $pa (local.get $a))
        (local.set $pb (i32.add (local.get $b) (local.get $column)))
        (local.set $left (local.get $inner))
        (block $sumsDone
          (loop $sum
            (br_if $sumsDone (i32.eqz (local.get $left)))
            (local.set $c0 (f32x4.add (local.get $c0)
              (f32x4.mul (v128.load32_splat (local.get $pa)) (v128.load (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aInner)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
            (local.set $left (i32.sub (local.get $left) (i32.const 1)))
            (br $sum)))
        (local.set $left (i32.shr_u (i32.sub (local.get $rowBytes) (local.get $column)) (i32.const 2)))
        (call $put (i32.add (local.get $out) (local.get $column)) (local.get $c0) (local.get $flags)
          (i32.add (local.get $bias) (local.get $column))
          (select (i32.const 4) (local.get $left) (i32.gt_u (local.get $left) (i32.const 4))))
        (local.set $column (i32.add (local.get $column) (i32.const 16)))
        (br $next))))

  ;; out[r, q] (+)= Σj a[r, j] · b[q, j]: a is rows × length, b is count × length, out is rows × count, all
  ;; row-major; addresses in bytes. Two rows of a by four rows of b at a time, four j per f32x4; where the length
  ;; is a multiple of 4, each row's four dot products are reduced together (putSums), not one by one.
  (func $productTransposeB (export "productTransposeB")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $length i32) (param $count i32)
    (param $accumulate i32)
    (local $row i32) (local $q i32) (local $j i32) (local $rowBytes i32) (local $even i32)
    (local $outRow i32) (local $o i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $rowBytes (i32.shl (local.get $length) (i32.const 2)))
    (local.set $even (i32.and (local.get $rowBytes) (i32.const -16)))
    (local.set $outRow (i32.shl (local.get $count) (i32.const 2)))
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
            (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
            (local.set $c02 (v128.const i64x2 0 0)) (local.set $c03 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c12 (v128.const i64x2 0 0)) (local.set $c13 (v128.const i64x2 0 0))
            (local.set $j (i32.const 0))
            (block $sumsDone
              (loop $sum
                (br_if $sumsDone (i32.ge_u (local.get $j) (local.get $even)))
                (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $j))))
                (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $j))))
                (local.set $y (v128.load (i32.add (local.get $b0) (local.get $j))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b1) (local.get $j))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b2) (local.get $j))))
                (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b3) (local.get $j))))
                (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $sum)))
            (if (i32.eq (local.get $even) (local.get $rowBytes))
              (then
                ;; No values past the quadruples: each row's four sums are reduced together and stored
                ;; as one f32x4.
                (call $putSums (local.get $o) (local.get $c00) (local.get $c01) (local.get $c02)
                  (local.get $c03) (local.get $accumulate))
                (call $putSums (i32.add (local.get $o) (local.get $outRow)) (local.get $c10) (local.get $c11)
                  (local.get $c12) (local.get $c13) (local.get $accumulate)))
              (else
                (call $finish (local.get $c00) (local.get $a0) (local.get $b0) (local.get $even)
                  (local.get $rowBytes) (local.get $o) (local.get $accumulate))
                (call $finish (local.get $c01) (local.get $a0) (local.get $b1) (local.get $even)
                  (local.get $rowBytes) (i32.add (local.get $o) (i32.const 4)) (local.get $accumulate))
                (call $finish (local.get $c02) (local.get $a0) (local.get $b2) (local.get $even)
                  (local.get $rowBytes) (i32.add (local.get $o) (i32.const 8)) (local.get $accumulate))
                (call $finish (local.get $c03) (local.get $a0) (local.get $b3) (local.get $even)
                  (local.get $rowBytes) (i32.add (local.get $o) (i32.const 12)) (local.get $accumulate))
                (call $finish (local.get $c10) (local.get $a1) (local.get $b0) (local.get $even)
                  (local.get $rowBytes) (i32.add (local.get $o) (local.get $outRow)) (local.get $accumulate))
                (call $finish (local.get $c11) (local.get $a1) (local.get $b1) (local.get $even)
                  (local.get $rowBytes) (i32.add (i32.add (local.get $o) (local.get $outRow)) (i32.const 4))
                  (local.get $accumulate))
                (call $finish (local.get $c12) (local.get $a1) (local.get $b2) (local.get $even)
                  (local.get $rowBytes) (i32.add (i32.add (local.get $o) (local.get $outRow)) (i32.const 8))
                  (local.get $accumulate))
                (call $finish (local.get $c13) (local.get $a1) (local.get $b3) (local.get $even)
                  (local.get $rowBytes) (i32.add (i32.add (local.get $o) (local.get $outRow)) (i32.const 12))
                  (local.get $accumulate))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
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
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
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
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $next)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $nextRow))))

  ;; One dot product of rows a and b of rowBytes bytes, `even` of them in f32x4 quadruples, into *out.
  (func $dot (param $a i32) (param $b i32) (param $even i32) (param $rowBytes i32) (param $out i32)
    (param $accumulate i32)
    (local $j i32) (local $sum v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $even)))
        (local.set $sum (f32x4.add (local.get $sum)
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $j)))
            (v128.load (i32.add (local.get $b) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next)))
    (call $finish (local.get $sum) (local.get $a) (local.get $b) (local.get $even) (local.get $rowBytes)
      (local.get $out) (local.get $accumulate)))

  ;; Stores (or adds) the four lanes of sum plus the products a[j]·b[j] of the last (length mod 4) values.
  (func $finish (param $sum v128) (param $a i32) (param $b i32) (param $even i32) (param $rowBytes i32)
    (param $out i32) (param $accumulate i32)
    (local $total f32)
    (local.set $total
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
        (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $even) (local.get $rowBytes)))
        (local.set $total (f32.add (local.get $total)
          (f32.mul (f32.load (i32.add (local.get $a) (local.get $even)))
            (f32.load (i32.add (local.get $b) (local.get $even))))))
        (local.set $even (i32.add (local.get $even) (i32.const 4)))
        (br $next)))
    (if (local.get $accumulate)
      (then (local.set $total (f32.add (local.get $total) (f32.load (local.get $out))))))
    (f32.store (local.get $out) (local.get $total)))

  ;; gradient[i] = 0 wherever output[i] <= 0: the ReLU derivative applied in place (a NaN output keeps its
  ;; gradient, as in activations.ts). `length` in values.
  (func (export "reluGradient") (param $gradient i32) (param $output i32) (param $length i32)
    (local $at i32) (local $end i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $length) (i32.const 2)))
    (local.set $end (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (v128.store (i32.add (local.get $gradient) (local.get $at))
          (v128.andnot (v128.load (i32.add (local.get $gradient) (local.get $at)))
            (f32x4.le (v128.load (i32.add (local.get $output) (local.get $at))) (v128.const i64x2 0 0))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $bytes)))
        (if (f32.le (f32.load (i32.add (local.get $output) (local.get $at))) (f32.const 0))
          (then (f32.store (i32.add (local.get $gradient) (local.get $at)) (f32.const 0))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $next))))

  ;; out[c] = Σr values[r, c] over a rows × columns matrix, added row after row in float32 (a bias gradient).
  (func (export "columnSums") (param $values i32) (param $rows i32) (param $columns i32) (param $out i32)
    (local $at i32) (local $end i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $end (i32.and (local.get $rowBytes) (i32.const -16)))
    (call $zero (local.get $out) (local.get $rowBytes))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $at (i32.const 0))
        (block $vectorsDone
          (loop $vector
            (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $end)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $at)))
                (v128.load (i32.add (local.get $values) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $vector)))
        (block $valuesDone
          (loop $value
            (br_if $valuesDone (i32.ge_u (local.get $at) (local.get $rowBytes)))
            (f32.store (i32.add (local.get $out) (local.get $at))
              (f32.add (f32.load (i32.add (local.get $out) (local.get $at)))
                (f32.load (i32.add (local.get $values) (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $value)))
        (local.set $values (i32.add (local.get $values) (local.get $rowBytes)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $next))))

  ;; `bytes` (a multiple of 4) of zeros at `at`.
  (func $zero (param $at i32) (param $bytes i32)
    (block $done
      (loop $next
        (br_if $done (i32.lt_u (local.get $bytes) (i32.const 16)))
        (v128.store (local.get $at) (v128.const i64x2 0 0))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $bytes (i32.sub (local.get $bytes) (i32.const 16)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $bytes)))
        (f32.store (local.get $at) (f32.const 0))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $bytes (i32.sub (local.get $bytes) (i32.const 4)))
        (br $next))))

  ;; Copies `bytes` (a multiple of 4) from `from` to `to`, or with `add` adds them to what `to` holds.
  (func $move (param $from i32) (param $to i32) (param $bytes i32) (param $add i32)
    (block $done
      (loop $next
        (br_if $done (i32.lt_u (local.get $bytes) (i32.const 16)))
        (if (local.get $add)
          (then (v128.store (local.get $to)
            (f32x4.add (v128.load (local.get $to)) (v128.load (local.get $from)))))
          (else (v128.store (local.get $to) (v128.load (local.get $from)))))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (local.set $bytes (i32.sub (local.get $bytes) (i32.const 16)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $bytes)))
        (if (local.get $add)
          (then (f32.store (local.get $to) (f32.add (f32.load (local.get $to)) (f32.load (local.get $from)))))
          (else (f32.store (local.get $to) (f32.load (local.get $from)))))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (local.set $to (i32.add (local.get $to) (i32.const 4)))
        (local.set $bytes (i32.sub (local.get $bytes) (i32.const 4)))
        (br $next))))

  ;; im2col (`gradient` 0) and its adjoint col2im (`gradient` 1) for a stride-1 window over channels-last
  ;; samples [rows, cols, channels]: row (sample, i, j) of the patches matrix holds the window at output pixel
  ;; (i, j), ordered (window row, window col, channel), zeros where it leaves the zero-padded image. im2col
  ;; writes that matrix at `patches` from `image`; col2im adds each row back into the image positions it came
  ;; from (`image` holds the input gradient, zeroed by the caller), in the order of kernels.ts's JavaScript loop.
  ;; im2col may read and write up to 12 bytes past either array's end (their slack: workspace.ts).
  (func (export "patches")
    (param $image i32) (param $patches i32) (param $gradient i32) (param $batch i32) (param $rows i32)
    (param $cols i32) (param $channels i32) (param $windowRows i32) (param $windowCols i32)
    (param $padTop i32) (param $padLeft i32) (param $outputRows i32) (param $outputCols i32)
    (local $pixel i32) (local $rowBytes i32) (local $windowBytes i32) (local $sampleAt i32)
    (local $outputRow i32) (local $outputCol i32) (local $windowRow i32) (local $row i32) (local $col i32)
    (local $first i32) (local $last i32) (local $imageAt i32) (local $patchAt i32) (local $bytes i32)
    (local $at i32) (local $end i32)
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $cols) (local.get $pixel)))
    (local.set $windowBytes (i32.mul (local.get $windowCols) (local.get $pixel)))
    (local.set $sampleAt (local.get $image))
    (block $samplesDone
      (loop $sample
        (br_if $samplesDone (i32.eqz (local.get $batch)))
        (local.set $outputRow (i32.const 0))
        (block $outputRowsDone
          (loop $outputRowLoop
            (br_if $outputRowsDone (i32.ge_u (local.get $outputRow) (local.get $outputRows)))
            (local.set $outputCol (i32.const 0))
            (block $outputColsDone
              (loop $outputColLoop
                (br_if $outputColsDone (i32.ge_u (local.get $outputCol) (local.get $outputCols)))
                ;; The window's columns inside the image: [first, last).
                (local.set $col (i32.sub (local.get $outputCol) (local.get $padLeft)))
                (local.set $first (select (i32.sub (i32.const 0) (local.get $col)) (i32.const 0)
                  (i32.lt_s (local.get $col) (i32.const 0))))
                (local.set $last (i32.sub (local.get $cols) (local.get $col)))
                (if (i32.gt_s (local.get $last) (local.get $windowCols))
                  (then (local.set $last (local.get $windowCols))))
                (if (i32.lt_s (local.get $last) (local.get $first))
                  (then (local.set $last (local.get $first))))
                (local.set $windowRow (i32.const 0))
                (block $windowRowsDone
                  (loop $windowRowLoop
                    (br_if $windowRowsDone (i32.ge_u (local.get $windowRow) (local.get $windowRows)))
                    (local.set $row (i32.sub (i32.add (local.get $outputRow) (local.get $windowRow))
                      (local.get $padTop)))
                    (if (i32.ge_u (local.get $row) (local.get $rows))
                      (then
                        (if (i32.eqz (local.get $gradient))
                          (then (call $zero (local.get $patches) (local.get $windowBytes)))))
                      (else
                        (local.set $imageAt
                          (i32.add (i32.add (local.get $sampleAt) (i32.mul (local.get $row) (local.get $rowBytes)))
                            (i32.mul (i32.add (local.get $col) (local.get $first)) (local.get $pixel))))
                        (local.set $patchAt
                          (i32.add (local.get $patches) (i32.mul (local.get $first) (local.get $pixel))))
                        (local.set $bytes (i32.mul (i32.sub (local.get $last) (local.get $first)) (local.get $pixel)))
                        (if (local.get $gradient)
                          (then (call $move (local.get $patchAt) (local.get $imageAt) (local.get $bytes) (i32.const 1)))
                          (else
                            ;; The zeros before the run, the run, the zeros after, each in whole f32x4 stores
                            ;; that may pass the segment's end by up to 12 bytes: the next segment is written
                            ;; after it (and the last one passes into the array's slack: workspace.ts).
                            (local.set $at (local.get $patches))
                            (block $leftDone
                              (loop $left
                                (br_if $leftDone (i32.ge_u (local.get $at) (local.get $patchAt)))
                                (v128.store (local.get $at) (v128.const i64x2 0 0))
                                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                                (br $left)))
                            (local.set $at (local.get $patchAt))
                            (local.set $end (i32.add (local.get $patchAt) (local.get $bytes)))
                            (block $runDone
                              (loop $run
                                (br_if $runDone (i32.ge_u (local.get $at) (local.get $end)))
                                (v128.store (local.get $at) (v128.load (local.get $imageAt)))
                                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                                (local.set $imageAt (i32.add (local.get $imageAt) (i32.const 16)))
                                (br $run)))
                            (local.set $at (local.get $end))
                            (local.set $end (i32.add (local.get $patches) (local.get $windowBytes)))
                            (block $rightDone
                              (loop $right
                                (br_if $rightDone (i32.ge_u (local.get $at) (local.get $end)))
                                (v128.store (local.get $at) (v128.const i64x2 0 0))
                                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                                (br $right)))))))
                    (local.set $patches (i32.add (local.get $patches) (local.get $windowBytes)))
                    (local.set $windowRow (i32.add (local.get $windowRow) (i32.const 1)))
                    (br $windowRowLoop)))
                (local.set $outputCol (i32.add (local.get $outputCol) (i32.const 1)))
                (br $outputColLoop)))
            (local.set $outputRow (i32.add (local.get $outputRow) (i32.const 1)))
            (br $outputRowLoop)))
        (local.set $sampleAt (i32.add (local.get $sampleAt) (i32.mul (local.get $rows) (local.get $rowBytes))))
        (local.set $batch (i32.sub (local.get $batch) (i32.const 1)))
        (br $sample))))

  ;; Max pooling without padding over channels-last samples, channels a multiple of 4: output[s, i, j, c] is
  ;; the largest input[s, i·strideRows + u, j·strideCols + v, c] over the window; f32x4.pmax keeps its first
  ;; operand unless the second is larger, as conv.ts's JavaScript loop does. With `gradient` 1 it is the
  ;; backward pass instead: each outputGradient value is added to the input position that gave the maximum
  ;; (the first one equal to output, in window order, or the first NaN where output is NaN), into
  ;; inputGradient (zeroed by the caller). With `gradient` 2 the values are stored instead, zeros included,
  ;; which is the same without the zeroing where the windows tile the input (stride = window, no remainder).
  (func (export "maxPool")
    (param $input i32) (param $output i32) (param $gradient i32) (param $outputGradient i32)
    (param $inputGradient i32) (param $batch i32) (param $rows i32) (param $cols i32) (param $channels i32)
    (param $windowRows i32) (param $windowCols i32) (param $strideRows i32) (param $strideCols i32)
    (param $outputRows i32) (param $outputCols i32)
    (local $pixel i32) (local $rowBytes i32) (local $sampleAt i32) (local $rowAt i32) (local $corner i32)
    (local $outputRow i32) (local $outputCol i32) (local $channel i32) (local $windowRow i32)
    (local $windowCol i32) (local $at i32) (local $toGradient i32)
    (local $square i32) (local $add i32) (local $largest v128) (local $value v128) (local $nan v128) (local $taken v128)
    (local $hit v128) (local $spread v128)
    (local.set $add (i32.eq (local.get $gradient) (i32.const 1)))
    (local.set $square (i32.and (i32.eq (local.get $windowRows) (i32.const 2))
      (i32.eq (local.get $windowCols) (i32.const 2))))
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $cols) (local.get $pixel)))
    (local.set $toGradient (i32.sub (local.get $inputGradient) (local.get $input)))
    (local.set $sampleAt (local.get $input))
    (block $samplesDone
      (loop $sample
        (br_if $samplesDone (i32.eqz (local.get $batch)))
        (local.set $outputRow (i32.const 0))
        (block $outputRowsDone
          (loop $outputRowLoop
            (br_if $outputRowsDone (i32.ge_u (local.get $outputRow) (local.get $outputRows)))
            (local.set $rowAt (i32.add (local.get $sampleAt) (i32.mul (local.get $rowBytes)
              (i32.mul (local.get $outputRow) (local.get $strideRows)))))
            (local.set $outputCol (i32.const 0))
            (block $outputColsDone
              (loop $outputColLoop
                (br_if $outputColsDone (i32.ge_u (local.get $outputCol) (local.get $outputCols)))
                (local.set $corner (i32.add (local.get $rowAt) (i32.mul (local.get $pixel)
                  (i32.mul (local.get $outputCol) (local.get $strideCols)))))
                (local.set $channel (i32.const 0))
                (block $channelsDone
                  (loop $channelLoop
                    (br_if $channelsDone (i32.ge_u (local.get $channel) (local.get $pixel)))
                    (if (local.get $gradient)
                      (then
                        (local.set $largest (v128.load (local.get $output)))
                        (local.set $spread (v128.load (local.get $outputGradient)))
                        (local.set $nan (f32x4.ne (local.get $largest) (local.get $largest)))
                        (local.set $taken (v128.const i64x2 0 0))
                        (local.set $outputGradient (i32.add (local.get $outputGradient) (i32.const 16))))
                      (else (local.set $largest (v128.load (i32.add (local.get $corner) (local.get $channel))))))
                    (local.set $windowRow (i32.const 0))
                    (if (i32.and (local.get $square) (i32.eqz (local.get $gradient)))
                      (then
                        ;; The usual 2×2 window's forward pass, unrolled; the general loops below are skipped.
                        (local.set $at (i32.add (local.get $corner) (local.get $channel)))
                        (local.set $largest (f32x4.pmax (local.get $largest)
                          (v128.load (i32.add (local.get $at) (local.get $pixel)))))
                        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
                        (local.set $largest (f32x4.pmax (local.get $largest) (v128.load (local.get $at))))
                        (local.set $largest (f32x4.pmax (local.get $largest)
                          (v128.load (i32.add (local.get $at) (local.get $pixel)))))
                        (local.set $windowRow (local.get $windowRows))))
                    (block $windowRowsDone
                      (loop $windowRowLoop
                        (br_if $windowRowsDone (i32.ge_u (local.get $windowRow) (local.get $windowRows)))
                        (local.set $at (i32.add (i32.add (local.get $corner) (local.get $channel))
                          (i32.mul (local.get $windowRow) (local.get $rowBytes))))
                        (local.set $windowCol (i32.const 0))
                        (block $windowColsDone
                          (loop $windowColLoop
                            (br_if $windowColsDone (i32.ge_u (local.get $windowCol) (local.get $windowCols)))
                            (local.set $value (v128.load (local.get $at)))
                            (if (local.get $gradient)
                              (then
                                ;; Lanes where this position holds the maximum (equal to it, or NaN where it
                                ;; is NaN) and no earlier one did.
                                (local.set $hit (v128.andnot
                                  (v128.or (f32x4.eq (local.get $value) (local.get $largest))
                                    (v128.and (f32x4.ne (local.get $value) (local.get $value)) (local.get $nan)))
                                  (local.get $taken)))
                                (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
                                (local.set $value (v128.and (local.get $spread) (local.get $hit)))
                                (if (local.get $add)
                                  (then (local.set $value (f32x4.add (local.get $value)
                                    (v128.load (i32.add (local.get $at) (local.get $toGradient)))))))
                                (v128.store (i32.add (local.get $at) (local.get $toGradient)) (local.get $value)))
                              (else (local.set $largest (f32x4.pmax (local.get $largest) (local.get $value)))))
                            (local.set $at (i32.add (local.get $at) (local.get $pixel)))
                            (local.set $windowCol (i32.add (local.get $windowCol) (i32.const 1)))
                            (br $windowColLoop)))
                        (local.set $windowRow (i32.add (local.get $windowRow) (i32.const 1)))
                        (br $windowRowLoop)))
                    (if (i32.eqz (local.get $gradient))
                      (then (v128.store (local.get $output) (local.get $largest))))
                    (local.set $output (i32.add (local.get $output) (i32.const 16)))
                    (local.set $channel (i32.add (local.get $channel) (i32.const 16)))
                    (br $channelLoop)))
                (local.set $outputCol (i32.add (local.get $outputCol) (i32.const 1)))
                (br $outputColLoop)))
            (local.set $outputRow (i32.add (local.get $outputRow) (i32.const 1)))
            (br $outputRowLoop)))
        (local.set $sampleAt (i32.add (local.get $sampleAt) (i32.mul (local.get $rows) (local.get $rowBytes))))
        (local.set $batch (i32.sub (local.get $batch) (i32.const 1)))
        (br $sample))))

  ;; out[0..3] (+)= the lane sums of c0, c1, c2 and c3: two rounds of shuffles and adds, one store.
  (func $putSums (param $out i32) (param $c0 v128) (param $c1 v128) (param $c2 v128) (param $c3 v128)
    (param $accumulate i32)
    (local $first v128) (local $second v128)
    ;; (c0[0] + c0[2], c1[0] + c1[2], c0[1] + c0[3], c1[1] + c1[3]), the same for c2 and c3.
    (local.set $first (f32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c0) (local.get $c1))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c0) (local.get $c1))))
    (local.set $second (f32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c2) (local.get $c3))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c2) (local.get $c3))))
    (local.set $first (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $first) (local.get $second))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $first) (local.get $second))))
    (if (local.get $accumulate)
      (then (local.set $first (f32x4.add (local.get $first) (v128.load (local.get $out))))))
    (v128.store (local.get $out) (local.get $first)))
)
